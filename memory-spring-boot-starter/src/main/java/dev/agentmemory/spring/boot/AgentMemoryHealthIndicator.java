package dev.agentmemory.spring.boot;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.StoreQuery;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Reports whether the memory backend answers: UP when a store listing (of a workspace reserved for the probe, so no
 * tenant's data is read) comes back, DOWN with the error when it fails, as it does when the database is unreachable
 * or the {@link AgentMemory} is closed. Shown by the actuator's health endpoint as {@code agentMemory}.
 *
 * <p>Thread-safe. A failing database is reported after the backend's retry budget
 * ({@code agent-memory.jdbc.retry-budget}) runs out.
 */
public final class AgentMemoryHealthIndicator extends AbstractHealthIndicator {

    /** The workspace the probe lists; it is never written to. */
    public static final String PROBE_WORKSPACE = "agent-memory-health-probe";

    private final AgentMemory memory;

    /**
     * Creates the indicator.
     *
     * @param memory the service to probe
     */
    public AgentMemoryHealthIndicator(AgentMemory memory) {
        super("agent-memory health check failed");
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long start = System.nanoTime();
        memory.workspace(PROBE_WORKSPACE).stores().list(StoreQuery.builder().limit(1).build());
        builder.up().withDetail("probeMillis", (System.nanoTime() - start) / 1_000_000);
    }
}
