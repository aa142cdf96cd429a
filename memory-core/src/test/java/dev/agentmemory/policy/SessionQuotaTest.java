package dev.agentmemory.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SessionQuotaTest {

    private static final QuotaLimits LIMITS = new QuotaLimits(Duration.ofMinutes(1), 100, 5, 3);

    /** Usage so far, content size of the next write, expected rule (empty: allowed). */
    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of(QuotaUsage.NONE, 10, ""),
                Arguments.of(new QuotaUsage(90, 4, 2), 10, ""),
                Arguments.of(new QuotaUsage(90, 4, 2), 11, "bytes_per_window"),
                Arguments.of(new QuotaUsage(0, 5, 0), 1, "writes_per_window"),
                Arguments.of(new QuotaUsage(0, 3, 3), 1, "writes_per_path"),
                Arguments.of(new QuotaUsage(100, 5, 3), 0, "writes_per_window"),
                Arguments.of(new QuotaUsage(0, 0, 0), 101, "bytes_per_window"));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void decideIsAPureFunctionOfLimitsUsageAndRequest(QuotaUsage usage, int size, String rule) {
        Verdict v = SessionQuota.decide(LIMITS, usage, Requests.create("x".repeat(size)));
        if (rule.isEmpty()) {
            assertThat(v).isEqualTo(Verdict.allow());
        } else {
            assertThat(v).isInstanceOfSatisfying(Verdict.Block.class, b -> {
                assertThat(b.policy()).isEqualTo("session-quota");
                assertThat(b.rule()).isEqualTo(rule);
            });
        }
    }

    private static Verdict write(SessionQuota q, WriteRequest r) {
        Verdict v = q.evaluate(r);
        q.committed(r, v);
        return v;
    }

    @Test
    void countsOnlyCommittedWritesWithinTheSlidingWindow() {
        Requests.SettableClock clock = new Requests.SettableClock();
        SessionQuota quota = new SessionQuota(LIMITS, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(write(quota, Requests.create(Requests.SESSION, "/p" + i, "x"))).isEqualTo(Verdict.allow());
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(quota.evaluate(Requests.create(Requests.SESSION, "/q", "x"))).isInstanceOf(Verdict.Block.class);
        // a blocked write is not counted; another session and an operator are not affected
        quota.committed(Requests.create(Requests.SESSION, "/q", "x"), Verdict.block("x", "y", "z"));
        assertThat(quota.usage(((dev.agentmemory.model.Actor.SessionActor) Requests.SESSION).sessionId(), "/q")
                .writes()).isEqualTo(5);
        assertThat(quota.evaluate(Requests.create(Requests.OTHER_SESSION, "/q", "x"))).isEqualTo(Verdict.allow());
        assertThat(quota.evaluate(Requests.create(Requests.OPERATOR, "/q", "x".repeat(1000))))
                .isEqualTo(Verdict.allow());
        // the first write (at t=0) leaves the window at t=60s
        clock.advance(Duration.ofSeconds(10));
        assertThat(quota.evaluate(Requests.create(Requests.SESSION, "/q", "x"))).isEqualTo(Verdict.allow());
    }

    @Test
    void churnOnOnePathIsLimitedSeparately() {
        Requests.SettableClock clock = new Requests.SettableClock();
        SessionQuota quota = new SessionQuota(LIMITS, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(write(quota, Requests.create(Requests.SESSION, "/same", "x"))).isEqualTo(Verdict.allow());
        }
        assertThat(quota.evaluate(Requests.create(Requests.SESSION, "/same", "x")))
                .isInstanceOfSatisfying(Verdict.Block.class, b -> assertThat(b.rule()).isEqualTo("writes_per_path"));
        assertThat(quota.evaluate(Requests.create(Requests.SESSION, "/other", "x"))).isEqualTo(Verdict.allow());
    }

    @Test
    void concurrentCommitsOfManySessionsAreAllCounted() throws Exception {
        Requests.SettableClock clock = new Requests.SettableClock();
        QuotaLimits big = new QuotaLimits(Duration.ofMinutes(1), 1_000_000, 10_000, 10_000);
        SessionQuota quota = new SessionQuota(big, clock);
        int threads = 8;
        int perThread = 500;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            dev.agentmemory.model.SessionId sid = dev.agentmemory.model.SessionId.of("sesn_t" + (t % 2));
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    quota.committed(Requests.create(dev.agentmemory.model.Actor.session(sid), "/p", "ab"),
                            Verdict.allow());
                }
            });
            ts.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        for (int s = 0; s < 2; s++) {
            QuotaUsage u = quota.usage(dev.agentmemory.model.SessionId.of("sesn_t" + s), "/p");
            assertThat(u.writes()).isEqualTo(threads / 2 * perThread);
            assertThat(u.bytes()).isEqualTo(2L * threads / 2 * perThread);
        }
    }
}
