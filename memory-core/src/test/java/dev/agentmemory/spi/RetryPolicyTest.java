package dev.agentmemory.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.model.WriteOutcome;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The one retry policy, on a ticker that advances only when the policy pauses: budgets end exactly when they say,
 * pauses grow from the first to the longest, and a write overtaken by concurrent commits is read, checked and
 * committed again until it lands or the budget is spent.
 */
class RetryPolicyTest {

    /** A ticker whose time moves only by the pauses asked of it. */
    static final class FakeTicker implements RetryPolicy.Ticker {
        long now = 1_000;
        final List<Long> pauses = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void pause(long nanos) {
            pauses.add(nanos);
            now += nanos;
        }
    }

    @Test
    void pausesDoubleUpToTheLongestAndStopAtTheBudget() {
        FakeTicker ticker = new FakeTicker();
        RetryPolicy policy = RetryPolicy.of(Duration.ofMillis(100), Duration.ofMillis(1), Duration.ofMillis(8))
                .withTicker(ticker);
        RetryPolicy.Attempts attempts = policy.start();
        int granted = 0;
        while (attempts.pause()) {
            granted++;
        }
        assertThat(attempts.failed()).isEqualTo(granted + 1);
        long[] ceilings = {1, 2, 4, 8, 8, 8};
        for (int i = 0; i < ceilings.length; i++) {
            long ceiling = ceilings[i] * 1_000_000L;
            assertThat(ticker.pauses.get(i)).as("pause %d", i).isBetween(ceiling / 2, ceiling);
        }
        long waited = ticker.pauses.stream().mapToLong(Long::longValue).sum();
        assertThat(waited).as("the budget is used up, and overrun by at most one pause")
                .isGreaterThan(Duration.ofMillis(100).toNanos()).isLessThanOrEqualTo(Duration.ofMillis(108).toNanos());
    }

    @Test
    void aZeroBudgetMakesOneAttempt() {
        FakeTicker ticker = new FakeTicker();
        RetryPolicy.Attempts attempts = RetryPolicy.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofNanos(1))
                .withTicker(ticker).start();
        ticker.now++;
        assertThat(attempts.pause()).isFalse();
        assertThat(ticker.pauses).isEmpty();
    }

    @Test
    void anInterruptedThreadGivesUpAndKeepsItsInterrupt() {
        RetryPolicy.Attempts attempts = RetryPolicy.concurrentCommits().start();
        Thread.currentThread().interrupt();
        try {
            assertThat(attempts.pause()).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void badPoliciesAreRefused() {
        assertThatThrownBy(() -> RetryPolicy.of(Duration.ofSeconds(-1), Duration.ofMillis(1), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.of(Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.of(Duration.ofSeconds(1), Duration.ofMillis(2), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A backend whose commits are refused (as if another writer always won) while {@code refusals} is positive. */
    private static MemoryBackend overtaken(MemoryBackend real, AtomicInteger refusals) {
        return (MemoryBackend) Proxy.newProxyInstance(MemoryBackend.class.getClassLoader(),
                new Class<?>[] {MemoryBackend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit") && refusals.getAndDecrement() > 0) {
                        return false;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aWriteOvertakenForeverGivesUpAtTheBudgetAndWritesNothing() {
        FakeTicker ticker = new FakeTicker();
        AtomicInteger refusals = new AtomicInteger();
        try (AgentMemory memory = AgentMemory.builder().backend(overtaken(InMemoryBackend.create(), refusals))
                .retryPolicy(RetryPolicy.of(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(4))
                        .withTicker(ticker))
                .build()) {
            StoreId store = memory.workspace("w").stores().create(NewStore.named("s").build()).id();
            Memories m = memory.workspace("w").memories(store, Actor.user("u"));
            m.create("/a.md", "0");
            refusals.set(Integer.MAX_VALUE);
            AtomicInteger runs = new AtomicInteger();
            assertThatThrownBy(() -> m.edit("/a.md", t -> {
                runs.incrementAndGet();
                return t + "1";
            })).isInstanceOf(StorageException.class).hasMessageContaining("kept overtaking it for 30 s");
            assertThat(runs.get()).as("the edit ran once per attempt").isEqualTo(ticker.pauses.size() + 1);
            assertThat(ticker.now - 1_000).isGreaterThan(Duration.ofSeconds(30).toNanos());
            refusals.set(0);
            assertThat(m.getByPath("/a.md").text()).isEqualTo("0");
        }
    }

    @Test
    void aWriteOvertakenTwiceRunsItsEditOnFreshStateAndLandsOnce() {
        FakeTicker ticker = new FakeTicker();
        AtomicInteger refusals = new AtomicInteger();
        try (AgentMemory memory = AgentMemory.builder().backend(overtaken(InMemoryBackend.create(), refusals))
                .retryPolicy(RetryPolicy.concurrentCommits().withTicker(ticker)).build()) {
            StoreId store = memory.workspace("w").stores().create(NewStore.named("s").build()).id();
            Memories m = memory.workspace("w").memories(store, Actor.user("u"));
            m.create("/a.md", "0");
            refusals.set(2);
            AtomicInteger runs = new AtomicInteger();
            ChangeResult r = m.edit("/a.md", t -> {
                runs.incrementAndGet();
                return t + "1";
            });
            assertThat(r.outcome()).isEqualTo(WriteOutcome.APPLIED);
            assertThat(runs).hasValue(3);
            assertThat(ticker.pauses).hasSize(2);
            assertThat(m.getByPath("/a.md").text()).isEqualTo("01");
            assertThat(m.versions(VersionQuery.all()).items()).hasSize(2);
        }
    }
}
