package dev.agentmemory.testkit;

import org.junit.jupiter.api.Nested;

/**
 * The whole rule-by-rule contract suite in one class: a backend module runs every group by extending this class and
 * implementing {@link #fixture()}. JUnit discovers the {@link Nested} groups declared here in the subclass; each
 * group is also a public abstract class of its own ({@link PathContract}, {@link StoreContract}, ...) that a module
 * may extend alone, for example to run one group while it is being worked on.
 *
 * <pre>{@code
 * class JdbcContractTest extends MemoryContract {
 *     protected BackendFixture fixture() {
 *         return BackendFixture.of(() -> JdbcBackend.open(freshDataSource()));
 *     }
 * }
 * }</pre>
 *
 * <p>The suite calls {@link #fixture()} once per test and {@link BackendFixture#open()} at least once per test (more
 * where a test needs a second, independent backend, as the export/import round trip does); it closes every backend it
 * opened and then the fixture after each test.
 */
public abstract class MemoryContract {

    /**
     * Returns the backend under test.
     *
     * @return a fixture that opens fresh, empty backends
     */
    protected abstract BackendFixture fixture();

    /** Paths. */
    @Nested
    class Paths extends PathContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Content. */
    @Nested
    class Content extends ContentContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Stores, and the limits of their fields. */
    @Nested
    class Stores extends StoreContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Create, get, update, delete, no-op updates. */
    @Nested
    class MemoryOperations extends MemoryOperationsContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Listing memories, depth, pages and cursors. */
    @Nested
    class Listing extends ListingContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Directory moves and batches, all or nothing. */
    @Nested
    class MoveAndBatch extends MoveAndBatchContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Versions and redaction. */
    @Nested
    class Versions extends VersionContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Retention purges. */
    @Nested
    class Retention extends RetentionContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Preconditions and competing writers. */
    @Nested
    class Preconditions extends PreconditionContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Write outcomes (applied or already current) and the read-modify-write primitives. */
    @Nested
    class Edits extends EditContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Put by path, update and delete by path, listings as streams, finding stores. */
    @Nested
    class Conveniences extends ConvenienceContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Content search. */
    @Nested
    class Search extends SearchContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Content given as UTF-8 bytes, the byte edit by id or path, and the check of a write without writing. */
    @Nested
    class Bytes extends BytesContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Sessions, access and the system prompt. */
    @Nested
    class Sessions extends SessionContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Ids. */
    @Nested
    class Ids extends IdContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Errors, check order, closed service, no nulls. */
    @Nested
    class Errors extends ErrorContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Export and import. */
    @Nested
    class ExportImport extends ExportImportContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** The Claude memory tool's commands, strings and path rules. */
    @Nested
    class Tool extends MemoryToolContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Write policies in the write pipeline: block, redact, quarantine, quota accounting. */
    @Nested
    class WritePolicies extends WritePolicyContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }

    /** Verifiable history: the hash chain and its verification. */
    @Nested
    class Chain extends ChainContract {
        @Override
        protected BackendFixture fixture() {
            return MemoryContract.this.fixture();
        }
    }
}
