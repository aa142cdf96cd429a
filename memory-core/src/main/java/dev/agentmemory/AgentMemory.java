package dev.agentmemory;

import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.internal.MemoryService;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.MemoryBackend;
import java.time.Clock;
import java.util.Objects;

/**
 * The library's entry point: a memory service over one backend. Open it once per application, share it, and close it
 * when the application stops; closing it closes the backend.
 *
 * <pre>{@code
 * try (AgentMemory memory = AgentMemory.builder().backend(InMemoryBackend.create()).build()) {
 *     Workspace ws = memory.workspace("acme");
 *     MemoryStore notes = ws.stores().create(NewStore.named("Project notes").build());
 *     Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id())));
 *     session.mount("project-notes").create("/build.md", "Run mvn -B verify before pushing.");
 * }
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread, and all handles it returns are thread-safe too.
 */
public final class AgentMemory implements AutoCloseable {

    private final MemoryService service;

    private AgentMemory(MemoryService service) {
        this.service = service;
    }

    /**
     * Starts building a memory service. Each setting may be made once; a second call fails fast.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns an in-memory service with default limits, for tests and demos: everything is lost when it closes.
     *
     * @return a new service
     */
    public static AgentMemory inMemory() {
        return builder().backend(InMemoryBackend.create()).build();
    }

    /**
     * Returns a workspace's handle.
     *
     * @param workspaceId the host application's tenant id
     * @return the handle
     */
    public Workspace workspace(String workspaceId) {
        return workspace(WorkspaceId.of(workspaceId));
    }

    /**
     * Returns a workspace's handle.
     *
     * @param workspaceId the workspace
     * @return the handle
     */
    public Workspace workspace(WorkspaceId workspaceId) {
        return service.workspace(workspaceId);
    }

    /**
     * Returns the limits in force.
     *
     * @return the limits
     */
    public Limits limits() {
        return service.limits();
    }

    /**
     * Closes the backend. Calls made afterwards fail with a {@link StorageException}. Closing twice does nothing.
     */
    @Override
    public void close() {
        service.close();
    }

    /** Builds an {@link AgentMemory}. Each setting may be made once. Not thread-safe. */
    public static final class Builder {
        private MemoryBackend backend;
        private Limits limits;
        private Clock clock;
        private WriteListener writeListener;

        private Builder() {
        }

        /**
         * Sets where memories are kept. Required. The service owns the backend from now on and closes it.
         *
         * @param backend for example {@link InMemoryBackend#create()}
         * @return this builder
         */
        public Builder backend(MemoryBackend backend) {
            if (this.backend != null) {
                throw new IllegalStateException("backend was already set to " + this.backend);
            }
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * Sets the limits; {@link Limits#defaults()} if not set.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(Limits limits) {
            if (this.limits != null) {
                throw new IllegalStateException("limits were already set to " + this.limits);
            }
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Sets the clock that stamps stores, memories and versions and that retention measures age by; the system
         * UTC clock if not set. Tests inject a fixed or stepping clock here.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            if (this.clock != null) {
                throw new IllegalStateException("clock was already set to " + this.clock);
            }
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets who is told about every finished write (for metrics); none if not set. To tell several, pass one
         * listener that calls them in turn.
         *
         * @param listener the listener; see {@link WriteListener} for the thread it is called on
         * @return this builder
         */
        public Builder writeListener(WriteListener listener) {
            if (this.writeListener != null) {
                throw new IllegalStateException("writeListener was already set to " + this.writeListener);
            }
            this.writeListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Returns the service.
         *
         * @return the service
         * @throws IllegalStateException if no backend was set
         */
        public AgentMemory build() {
            if (backend == null) {
                throw new IllegalStateException("a backend is required: backend(InMemoryBackend.create()) for tests,"
                        + " or a durable one such as the JDBC backend");
            }
            return new AgentMemory(new MemoryService(backend, limits == null ? Limits.defaults() : limits,
                    clock == null ? Clock.systemUTC() : clock,
                    writeListener == null ? WriteListener.NONE : writeListener));
        }
    }
}
