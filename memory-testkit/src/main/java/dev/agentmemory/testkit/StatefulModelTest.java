package dev.agentmemory.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsCoverage;

/**
 * The stateful model test: random sequences of every kind of memory operation, valid and invalid, run against the
 * real service over a backend and against a small, independent reference model; every result and every error must
 * agree.
 *
 * <p>Each sequence starts from a fresh backend with two small stores ("Alpha Notes": 12-byte content and 4 memories;
 * "Beta": the service-wide 20 bytes and 7 memories; paths of at most 16 bytes and 3 segments), reached through
 * operator handles and session mounts, read-write and read-only. Operations: create (valid, colliding, ancestor and
 * descendant conflicts, invalid paths, over-limit content, full store), get by id and by path, list (prefixes, depth
 * 0 and 1, small pages walked to the end, stale, foreign and malformed cursors, with and without content), update
 * (content, rename, both, right, wrong, stale, malformed or no precondition, no-ops), delete (with and without
 * precondition, twice), directory move, batch (several changes, some failing), version list and get, redaction
 * (including the head refusal), store archive, and new sessions. Results are compared field by field, with generated
 * ids and timestamps mapped between model and service; errors by exception class and key fields. After every
 * operation, each store's memories and complete version history must equal the model's. With 1,000 sequences or
 * more, the run also fails unless every outcome in {@link #REQUIRED_OUTCOMES} was reached at least once.
 *
 * <p>The number of sequences is the system property {@code agentmemory.stateful.tries} (1,000 by default, and in CI).
 *
 * <pre>{@code
 * class InMemoryStatefulModelTest extends StatefulModelTest {
 *     protected BackendFixture fixture() { return BackendFixture.of(InMemoryBackend::create); }
 * }
 * }</pre>
 */
public abstract class StatefulModelTest {

    /** Most operations in one sequence. */
    static final int MAX_OPERATIONS = 80;

    private BackendFixture fixture;
    private final List<StatefulModelWorld> worlds = new ArrayList<>();

    /**
     * Returns the backend under test.
     *
     * @return a fixture that opens fresh, empty backends
     */
    protected abstract BackendFixture fixture();

    private BackendFixture openFixture() {
        if (fixture == null) {
            fixture = fixture();
        }
        return fixture;
    }

    /**
     * Runs one random sequence against the service and the model.
     *
     * @param chain the sequence
     */
    @Property(shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    @AddLifecycleHook(Tries.class)
    public void serviceBehavesLikeTheModel(@ForAll("sequences") ActionChain<StatefulModelWorld> chain) {
        try {
            chain.withInvariant("every store equals the model", StatefulModelWorld::checkEverything).run();
            worlds.forEach(StatefulModelWorld::checkChains);
            if (Integer.getInteger(Tries.PROPERTY, 1000) >= 1000) {
                Statistics.label(StatefulModelWorld.OUTCOMES).coverage(StatefulModelTest::requireCoverage);
            }
        } finally {
            worlds.forEach(StatefulModelWorld::close);
            worlds.clear();
        }
    }

    /**
     * Generates the sequences.
     *
     * @return sequences of up to {@value #MAX_OPERATIONS} operations
     */
    @Provide
    public Arbitrary<ActionChain<StatefulModelWorld>> sequences() {
        return ActionChain.startWith(this::newWorld)
                .withAction(14, action(StatefulModelOps.create(), w -> true))
                .withAction(2, action(StatefulModelOps.get(), w -> true))
                .withAction(2, action(StatefulModelOps.getByPath(), w -> true))
                .withAction(4, action(StatefulModelOps.list(), w -> true))
                .withAction(8, action(StatefulModelOps.update(), w -> true))
                .withAction(3, action(StatefulModelOps.delete(), w -> true))
                .withAction(3, action(StatefulModelOps.move(), w -> true))
                .withAction(4, action(StatefulModelOps.batch(), w -> true))
                .withAction(3, action(StatefulModelOps.versions(), w -> true))
                .withAction(1, action(StatefulModelOps.version(), w -> true))
                .withAction(2, action(StatefulModelOps.redact(), w -> true))
                .withAction(1, action(StatefulModelOps.archive(), StatefulModelWorld::mayArchive))
                .withAction(1, action(StatefulModelOps.rearchive(), StatefulModelWorld::anyArchived))
                .withAction(1, action(StatefulModelOps.openSession(), w -> w.handleCount() < 12))
                .withMaxTransformations(MAX_OPERATIONS);
    }

    /** Outcomes that 1,000 sequences must reach, or the generators have stopped testing what they should. */
    static final List<String> REQUIRED_OUTCOMES = List.of(
            "create: ok", "create: PathConflictException", "create: LimitExceededException memories_per_store",
            "create: LimitExceededException content_size_bytes", "create: LimitExceededException path_bytes",
            "create: LimitExceededException path_segments", "create: InvalidArgumentException content.utf8",
            "create: ReadOnlyException", "create: ArchivedException",
            "update: content", "update: rename", "update: content and path", "update: no-op",
            "update: PreconditionFailedException", "update: PathConflictException",
            "update: InvalidArgumentException update.empty", "update: InvalidArgumentException precondition.sha256",
            "delete: ok", "delete: NotFoundException", "delete: PreconditionFailedException",
            "move: ok", "move: no-op", "move: PathConflictException", "move: NotFoundException",
            "move: InvalidArgumentException move.root", "move: InvalidArgumentException move.into_itself",
            "batch: ok", "batch: 3 changes", "batch: PathConflictException", "batch: PreconditionFailedException",
            "batch: LimitExceededException memories_per_store", "batch: InvalidArgumentException batch.empty",
            "list: depth 0, several pages", "list: depth 1, several pages", "list: depth 1, from a cursor, one page",
            "list: InvalidArgumentException cursor.mismatch", "list: InvalidArgumentException cursor.malformed",
            "list: InvalidArgumentException list.depth", "list: InvalidArgumentException page.limit",
            "versions: several pages", "versions: from a cursor, one page",
            "versions: InvalidArgumentException cursor.mismatch",
            "get: ok", "get: NotFoundException", "getByPath: ok", "version: ok", "version: NotFoundException",
            "redact: ok", "redact: already redacted", "redact: InvalidArgumentException redact.head",
            "redact: ArchivedException", "openSession: ok", "openSession: ArchivedException");

    private static void requireCoverage(StatisticsCoverage coverage) {
        for (String outcome : REQUIRED_OUTCOMES) {
            coverage.check(outcome).count((Predicate<Integer>) n -> n > 0);
        }
    }

    private StatefulModelWorld newWorld() {
        StatefulModelWorld w = new StatefulModelWorld(openFixture().open());
        worlds.add(w);
        return w;
    }

    private static Action.Independent<StatefulModelWorld> action(
            Arbitrary<StatefulModelOps.Op> ops, Predicate<StatefulModelWorld> when) {
        return new Action.Independent<>() {
            @Override
            public boolean precondition(StatefulModelWorld w) {
                return when.test(w);
            }

            @Override
            public Arbitrary<Transformer<StatefulModelWorld>> transformer() {
                return ops.map(op -> Transformer.mutate(op.toString(), w -> {
                    w.countOperation();
                    op.run(w);
                }));
            }
        };
    }

    /** Closes the fixture once the property has run. */
    @AfterProperty
    public void closeFixture() {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    /**
     * Sets the property's tries from the system property {@code agentmemory.stateful.tries}, 1,000 if unset.
     */
    public static final class Tries implements AroundPropertyHook {

        /** The system property that sets how many sequences run. */
        public static final String PROPERTY = "agentmemory.stateful.tries";

        /** Creates the hook; jqwik does. */
        public Tries() {
        }

        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(Integer.getInteger(PROPERTY, 1000));
            return property.execute();
        }
    }
}
