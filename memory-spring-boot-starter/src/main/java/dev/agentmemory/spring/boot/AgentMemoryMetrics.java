package dev.agentmemory.spring.boot;

import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.WriteListener;
import dev.agentmemory.model.WriteEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns every finished write into Micrometer meters:
 *
 * <ul>
 *   <li>{@value #WRITES}: a timer (count and latency) of writes, tagged {@code operation} (create, update, delete,
 *       move, batch, store update, archive, redaction, retention purge, import), {@code outcome} (committed,
 *       unchanged, failed) and {@code exception} (none, or the simple name of the exception the caller got);
 *   <li>{@value #CONFLICTS}: a counter of writes refused on a conflict, tagged {@code operation} and {@code kind}
 *       (precondition: a {@code content_sha256} that no longer matched; path: the path clashes with another memory;
 *       other: an imported id that exists already);
 *   <li>{@value #RETRIES}: a counter of the extra attempts writes needed because another writer of the same store
 *       committed first, tagged {@code operation}: how much writers contend.
 * </ul>
 *
 * <p>Tags come from small fixed sets, never from paths or ids. Thread-safe.
 */
public final class AgentMemoryMetrics implements WriteListener {

    /** The timer of writes. */
    public static final String WRITES = "agentmemory.writes";
    /** The counter of conflicts. */
    public static final String CONFLICTS = "agentmemory.write.conflicts";
    /** The counter of retried attempts. */
    public static final String RETRIES = "agentmemory.write.retries";

    private final MeterRegistry registry;

    /**
     * Creates the listener.
     *
     * @param registry where the meters are registered
     */
    public AgentMemoryMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onWrite(WriteEvent event) {
        String operation = event.operation();
        Timer.builder(WRITES)
                .description("Writes to memory stores: count and latency, retries included")
                .tag("operation", operation)
                .tag("outcome", event.outcome().name().toLowerCase(Locale.ROOT))
                .tag("exception", event.failure().map(f -> f.getClass().getSimpleName()).orElse("none"))
                .register(registry)
                .record(event.duration());
        if (event.isConflict()) {
            Throwable f = event.failure().orElseThrow();
            String kind = f instanceof PreconditionFailedException ? "precondition"
                    : f instanceof PathConflictException ? "path" : "other";
            Counter.builder(CONFLICTS)
                    .description("Writes refused because the store had changed: stale preconditions, path conflicts")
                    .tag("operation", operation)
                    .tag("kind", kind)
                    .register(registry)
                    .increment();
        }
        if (event.attempts() > 1) {
            Counter.builder(RETRIES)
                    .description("Extra attempts of writes overtaken by another writer of the same store")
                    .tag("operation", operation)
                    .register(registry)
                    .increment(event.attempts() - 1);
        }
    }

    @Override
    public String toString() {
        return "AgentMemoryMetrics{" + registry.getClass().getSimpleName() + "}";
    }
}
