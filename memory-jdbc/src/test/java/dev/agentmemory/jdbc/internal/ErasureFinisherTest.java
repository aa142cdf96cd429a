package dev.agentmemory.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.model.ErasureStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The erasure finisher's bookkeeping, with a scripted step and a fixed clock; and its backoff schedule. */
class ErasureFinisherTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final ErasureBackoff FAST = new ErasureBackoff(Duration.ofMillis(1), Duration.ofMillis(5), 2);

    /** A step that answers from a script: a reason to stay pending, or empty for done; done once the script ends. */
    private static final class Scripted implements ErasureFinisher.Step {
        final Deque<Optional<String>> answers = new ArrayDeque<>();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicBoolean elsewhere = new AtomicBoolean();

        @Override
        public synchronized Optional<String> attempt() {
            attempts.incrementAndGet();
            Optional<String> next = answers.pollFirst();
            return next == null ? Optional.empty() : next;
        }

        @Override
        public boolean unfinishedElsewhere() {
            return elsewhere.getAndSet(false);
        }
    }

    private static ErasureFinisher finisher(Scripted step, Duration poll) {
        return new ErasureFinisher("test db", step, "gone", Clock.fixed(T0, ZoneOffset.UTC), FAST, poll);
    }

    @Test
    void nothingRequestedIsDone_andNoAttemptIsMade() {
        Scripted step = new Scripted();
        try (ErasureFinisher f = finisher(step, Duration.ofMinutes(1))) {
            assertThat(f.status()).isEqualTo(ErasureStatus.done("gone"));
            assertThat(f.await(Duration.ofMillis(50))).isEqualTo(ErasureStatus.done("gone"));
            assertThat(step.attempts).hasValue(0);
        }
    }

    @Test
    void aRequestIsPendingWithTheStepsReasonUntilAnAttemptSucceeds() {
        Scripted step = new Scripted();
        for (int i = 0; i < 5; i++) {
            step.answers.add(Optional.of("a reader holds it"));
        }
        try (ErasureFinisher f = finisher(step, Duration.ofMinutes(1))) {
            f.request();
            ErasureStatus pending = f.status();
            assertThat(pending.state()).isEqualTo(ErasureStatus.State.PENDING);
            assertThat(pending.pendingSince()).contains(T0);
            ErasureStatus done = f.await(Duration.ofSeconds(30));
            assertThat(done).isEqualTo(ErasureStatus.done("gone"));
            assertThat(step.attempts).hasValue(6);
        }
    }

    @Test
    void aBoundedWaitReturnsThePendingReasonWhileTheStepKeepsFailing() {
        Scripted step = new Scripted();
        for (int i = 0; i < 100_000; i++) {
            step.answers.add(Optional.of("a reader holds it"));
        }
        try (ErasureFinisher f = finisher(step, Duration.ofMinutes(1))) {
            f.request();
            ErasureStatus s = f.await(Duration.ofMillis(200));
            assertThat(s.state()).isEqualTo(ErasureStatus.State.PENDING);
            assertThat(s.detail()).startsWith("a reader holds it").contains("retries by itself");
            assertThat(step.attempts.get()).as("it retried").isGreaterThan(1);
        }
    }

    @Test
    void aFailingAttemptIsReportedAndRetried() {
        ErasureFinisher.Step throwing = new ErasureFinisher.Step() {
            final AtomicInteger calls = new AtomicInteger();

            @Override
            public Optional<String> attempt() {
                if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("disk hiccup");
                }
                return Optional.empty();
            }

            @Override
            public boolean unfinishedElsewhere() {
                return false;
            }
        };
        try (ErasureFinisher f = new ErasureFinisher("db", throwing, "gone", Clock.fixed(T0, ZoneOffset.UTC), FAST,
                Duration.ofMinutes(1))) {
            f.request();
            assertThat(f.await(Duration.ofSeconds(30)).isDone()).isTrue();
        }
    }

    @Test
    void workLeftByAnotherProcessIsPickedUpWhenIdle() {
        Scripted step = new Scripted();
        step.elsewhere.set(true);
        try (ErasureFinisher f = finisher(step, Duration.ofMillis(20))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (step.attempts.get() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(step.attempts.get()).as("the poll found the work and did it").isPositive();
            assertThat(f.await(Duration.ofSeconds(30)).isDone()).isTrue();
        }
    }

    @Test
    void closingWhilePendingSaysTheNextBackendFinishes() {
        Scripted step = new Scripted();
        for (int i = 0; i < 100_000; i++) {
            step.answers.add(Optional.of("held"));
        }
        ErasureFinisher f = finisher(step, Duration.ofMinutes(1));
        f.request();
        f.close();
        assertThat(f.status().detail()).contains("next one to open the database");
        assertThat(f.await(Duration.ofSeconds(5)).state()).as("returns at once when closed")
                .isEqualTo(ErasureStatus.State.PENDING);
    }

    @ParameterizedTest
    @CsvSource({"1,20", "2,40", "3,80", "7,1280", "8,2000", "9,2000", "40,2000"})
    void backoffDoublesUpToItsMaximum(int failures, long millis) {
        assertThat(ErasureBackoff.DEFAULT.pause(failures)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void backoffRejectsNonsense() {
        assertThatThrownBy(() -> ErasureBackoff.DEFAULT.pause(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ErasureBackoff(Duration.ZERO, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ErasureBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
