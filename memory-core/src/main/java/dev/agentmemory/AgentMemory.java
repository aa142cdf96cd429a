package dev.agentmemory;

import dev.agentmemory.error.WriteBlockedException;
import dev.agentmemory.error.WriteQuarantinedException;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.model.WriteListener;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.internal.MemoryService;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.policy.StorePolicies;
import dev.agentmemory.policy.WritePolicyChain;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.spi.RetryPolicy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        return new DefaultWorkspace(service.workspace(workspaceId));
    }

    /**
     * Lists the workspaces that hold at least one store or session, in id order: for operations that go over every
     * workspace (retention, migration).
     *
     * @return the workspaces
     */
    public java.util.List<WorkspaceId> workspaces() {
        return service.workspaces();
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

    /**
     * Builds an {@link AgentMemory}. Each setting may be made once, and the builder builds once. Not thread-safe.
     *
     * <p>The builder owns the backend it is given: if the builder is misused after that (a second backend, a setting
     * made twice, a missing value, a second {@link #build()}), it fails fast with an {@link IllegalStateException} or
     * {@link NullPointerException}, closes every backend it was given, and refuses every later call, so an abandoned
     * builder never leaves a database open.
     */
    public static final class Builder {
        private MemoryBackend backend;
        private Limits limits;
        private Clock clock;
        private RetryPolicy retryPolicy;
        private Optional<String> spent = Optional.empty();
        private WriteListener writeListener;
        private StorePolicies writePolicies;

        private Builder() {
        }

        /**
         * Sets where memories are kept. Required. The builder, and then the service, owns the backend from now on and
         * closes it.
         *
         * @param backend for example {@link InMemoryBackend#create()}
         * @return this builder
         * @throws IllegalStateException if a backend was already set (both are closed) or the builder is spent
         */
        public Builder backend(MemoryBackend backend) {
            if (backend == null) {
                throw fail(new NullPointerException("backend"));
            }
            if (spent.isPresent() || this.backend != null) {
                String why = spent.orElse("backend was already set to " + this.backend + "; a builder takes one"
                        + " backend, so both were closed");
                throw fail(new IllegalStateException(why), backend);
            }
            this.backend = backend;
            return this;
        }

        /**
         * Sets the limits; {@link Limits#defaults()} if not set.
         *
         * @param limits the limits
         * @return this builder
         * @throws IllegalStateException if the limits were already set or the builder is spent
         */
        public Builder limits(Limits limits) {
            if (limits == null) {
                throw fail(new NullPointerException("limits"));
            }
            if (spent.isPresent() || this.limits != null) {
                throw fail(new IllegalStateException(spent.orElse("limits were already set to " + this.limits)));
            }
            this.limits = limits;
            return this;
        }

        /**
         * Sets the clock that stamps stores, memories and versions and that retention measures age by; the system
         * UTC clock if not set. Tests inject a fixed or stepping clock here.
         *
         * @param clock the clock
         * @return this builder
         * @throws IllegalStateException if the clock was already set or the builder is spent
         */
        public Builder clock(Clock clock) {
            if (clock == null) {
                throw fail(new NullPointerException("clock"));
            }
            if (spent.isPresent() || this.clock != null) {
                throw fail(new IllegalStateException(spent.orElse("clock was already set to " + this.clock)));
            }
            this.clock = clock;
            return this;
        }

        /**
         * Sets how a write overtaken by concurrent commits to the same store is retried (read again, checked again,
         * committed again); {@link RetryPolicy#concurrentCommits()} (30 seconds) if not set. When the budget is spent
         * the write fails with a {@link StorageException} and changes nothing.
         *
         * @param retryPolicy the policy
         * @return this builder
         * @throws IllegalStateException if the policy was already set or the builder is spent
         */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            if (retryPolicy == null) {
                throw fail(new NullPointerException("retryPolicy"));
            }
            if (spent.isPresent() || this.retryPolicy != null) {
                throw fail(new IllegalStateException(spent.orElse("retryPolicy was already set to "
                        + this.retryPolicy)));
            }
            this.retryPolicy = retryPolicy;
            return this;
        }

        /**
         * Sets who is told about every finished write (for metrics); none if not set. To tell several, pass one
         * listener that calls them in turn.
         *
         * @param listener the listener; see {@link WriteListener} for the thread it is called on
         * @return this builder
         * @throws IllegalStateException if a listener was already set or the builder is spent
         */
        public Builder writeListener(WriteListener listener) {
            if (listener == null) {
                throw fail(new NullPointerException("listener"));
            }
            if (spent.isPresent() || this.writeListener != null) {
                throw fail(new IllegalStateException(spent.orElse("writeListener was already set to "
                        + this.writeListener)));
            }
            this.writeListener = listener;
            return this;
        }

        /**
         * Guards every store's writes with one chain of write policies; none if not set. The chain runs inside the
         * write pipeline on every create, update, move, delete and batch, from every surface (the API, the memory
         * tool, the file views, the server), after the library's own checks and before anything is stored:
         * a blocked write fails with {@link WriteBlockedException} and is recorded as a policy event; a redacted one
         * is stored with markers and its version says so; a quarantined one is held for an operator
         * ({@link StoreAdmin#quarantined}) and fails with {@link WriteQuarantinedException}.
         *
         * @param chain for example {@code WritePolicyChain.defaults(Clock.systemUTC())}
         * @return this builder
         * @throws IllegalStateException if write policies were already set or the builder is spent
         */
        public Builder writePolicies(WritePolicyChain chain) {
            if (chain == null) {
                throw fail(new NullPointerException("chain"));
            }
            return writePolicies(StorePolicies.all(chain));
        }

        /**
         * Guards writes with a chain of write policies chosen per store (for example from the store's metadata), as
         * {@link #writePolicies(WritePolicyChain)} describes; none if not set.
         *
         * @param policies chooses each store's chain
         * @return this builder
         * @throws IllegalStateException if write policies were already set or the builder is spent
         */
        public Builder writePolicies(StorePolicies policies) {
            if (policies == null) {
                throw fail(new NullPointerException("policies"));
            }
            if (spent.isPresent() || this.writePolicies != null) {
                throw fail(new IllegalStateException(spent.orElse("write policies were already set to "
                        + this.writePolicies)));
            }
            this.writePolicies = policies;
            return this;
        }

        /**
         * Returns the service, which owns the backend from now on. A builder builds once.
         *
         * @return the service
         * @throws IllegalStateException if no backend was set, or the builder is spent
         */
        public AgentMemory build() {
            if (spent.isPresent()) {
                throw fail(new IllegalStateException(spent.get()));
            }
            if (backend == null) {
                throw fail(new IllegalStateException("a backend is required: backend(InMemoryBackend.create()) for"
                        + " tests, or a durable one such as the JDBC backend"));
            }
            AgentMemory built;
            try {
                built = new AgentMemory(new MemoryService(backend, limits == null ? Limits.defaults() : limits,
                        clock == null ? Clock.systemUTC() : clock,
                        retryPolicy == null ? RetryPolicy.concurrentCommits() : retryPolicy,
                        writeListener == null ? WriteListener.NONE : writeListener,
                        Optional.ofNullable(writePolicies)));
            } catch (RuntimeException e) {
                throw fail(e);
            } catch (Error e) {
                throw fail(e);
            }
            backend = null; // the service owns it now
            spent = Optional.of("this builder already built an AgentMemory; use a new builder");
            return built;
        }

        /**
         * Marks the builder spent and closes every backend it holds (and {@code alsoClose}), keeping a failure to
         * close as a suppressed exception of {@code failure}.
         */
        private <T extends Throwable> T fail(T failure, MemoryBackend... alsoClose) {
            if (spent.isEmpty()) {
                spent = Optional.of("this builder failed earlier (" + failure.getMessage() + ") and closed its"
                        + " backend; use a new builder");
            }
            List<MemoryBackend> toClose = new ArrayList<>();
            if (backend != null) {
                toClose.add(backend);
            }
            toClose.addAll(List.of(alsoClose));
            backend = null;
            for (MemoryBackend b : toClose) {
                try {
                    b.close();
                } catch (RuntimeException e) {
                    failure.addSuppressed(e);
                }
            }
            return failure;
        }
    }
}
