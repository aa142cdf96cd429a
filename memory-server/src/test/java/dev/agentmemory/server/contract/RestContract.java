package dev.agentmemory.server.contract;

import dev.agentmemory.Memories;
import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.ContentContract;
import dev.agentmemory.testkit.ErrorContract;
import dev.agentmemory.testkit.ListingContract;
import dev.agentmemory.testkit.MemoryOperationsContract;
import dev.agentmemory.testkit.PathContract;
import dev.agentmemory.testkit.PreconditionContract;
import dev.agentmemory.testkit.VersionContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract suite's groups about a store's memories, through the REST API: every test's {@code freshStore()} is a
 * {@link RestMemories} client of a server on the suite's own library, so creates, reads, updates, deletes, listings,
 * preconditions and version queries travel as official-SDK requests over HTTP and back. Set-up, snapshots and the
 * checks of stored state read the library directly. A test that needs an operation the hosted API does not serve is
 * reported as aborted with the operation's name ({@link NotServed}).
 *
 * <p>Subclasses say which database: {@link SqliteRestContractTest}, {@link PostgresRestContractTest}.
 */
@ExtendWith(NotServed.Handler.class)
abstract class RestContract {

    /** @return a fresh surface for one test */
    abstract RestSurface newSurface();

    @Nested
    class Paths extends PathContract {
        final RestSurface rest = newSurface();

        @Override
        protected BackendFixture fixture() {
            return rest;
        }

        @Override
        protected Memories surface(Memories direct) {
            return rest.wrap(memory, direct);
        }
    }

    @Nested
    class Contents extends ContentContract {
        final RestSurface rest = newSurface();

        @Override
        protected BackendFixture fixture() {
            return rest;
        }

        @Override
        protected Memories surface(Memories direct) {
            return rest.wrap(memory, direct);
        }
    }

    @Nested
    class MemoryOperations extends MemoryOperationsContract {
        final RestSurface rest = newSurface();

        @Override
        protected BackendFixture fixture() {
            return rest;
        }

        @Override
        protected Memories surface(Memories direct) {
            return rest.wrap(memory, direct);
        }
    }

    @Nested
    class Listing extends ListingContract {
        final RestSurface rest = newSurface();

        @Override
        protected BackendFixture fixture() {
            return rest;
        }

        @Override
        protected Memories surface(Memories direct) {
            return rest.wrap(memory, direct);
        }
    }

    @Nested
    class Versions extends VersionContract {
        final RestSurface rest = newSurface();

        @Override
        protected BackendFixture fixture() {
            return rest;
        }

        @Override
        protected Memories surface(Memories direct) {
            return rest.wrap(memory, direct);
        }
    }

    @Nested
    class Preconditions extends PreconditionContract {
        final RestSurface rest = newSurface();

        @Override
        protected BackendFixture fixture() {
            return rest;
        }

        @Override
        protected Memories surface(Memories direct) {
            return rest.wrap(memory, direct);
        }
    }

    @Nested
    class Errors extends ErrorContract {
        final RestSurface rest = newSurface();

        @Override
        protected BackendFixture fixture() {
            return rest;
        }

        @Override
        protected Memories surface(Memories direct) {
            return rest.wrap(memory, direct);
        }
    }
}
