package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spi.MemoryBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every group of the contract suite shares: for each test, an {@link AgentMemory} over a fresh backend from
 * {@link #fixture()} with an injected {@link MutableClock}, two workspaces, and the checks the groups are written
 * with: {@link #rejects} (a call fails with exactly this exception and changes nothing), state snapshots, and
 * readers that page through whole listings.
 *
 * <p>Lifecycle: {@link #fixture()} is called once before each test; every backend the test opens is closed after it
 * (by closing its {@link AgentMemory}), and then the fixture is closed. A fixture that is expensive to make can be
 * shared by returning the same instance each time, as long as its {@link BackendFixture#close()} only cleans up what
 * one test made.
 */
public abstract class ContractSupport {

    /** The instant each test's clock starts at. */
    protected static final Instant T0 = Instant.parse("2025-01-06T09:00:00Z");
    /** The id of the workspace most tests work in. */
    protected static final String WORKSPACE = "acme";
    /** The id of a second workspace, for checks that nothing crosses workspaces. */
    protected static final String OTHER_WORKSPACE = "globex";
    /**
     * The operator the tests write as when they do not write through a session. Its id has the shape of an API key
     * id a server issues ({@code apikey_} and 20 lowercase letters or digits), so that a surface serving the suite
     * over HTTP can hold a real key with this id.
     */
    protected static final Actor OPERATOR = Actor.apiKey("apikey_operator000000000000");

    private static final Actor SNAPSHOT_READER = Actor.serviceAccount("sa_snapshot");
    private static final HexFormat HEX = HexFormat.of();

    private BackendFixture currentFixture;
    private final Deque<AgentMemory> opened = new ArrayDeque<>();
    private final List<Workspace> watched = new ArrayList<>();

    /** The test's clock; it stands at {@link #T0} until the test moves it. */
    protected MutableClock clock;
    /** The test's memory service, with default limits. */
    protected AgentMemory memory;
    /** The backend behind {@link #memory}, for checks that data is gone from storage, not just hidden. */
    protected MemoryBackend backend;
    /** The workspace {@value #WORKSPACE} of {@link #memory}. */
    protected Workspace ws;
    /** The workspace {@value #OTHER_WORKSPACE} of {@link #memory}. */
    protected Workspace otherWs;

    /**
     * Returns the backend under test.
     *
     * @return a fixture that opens fresh, empty backends
     */
    protected abstract BackendFixture fixture();

    @BeforeEach
    final void openContractMemory() {
        currentFixture = Objects.requireNonNull(fixture(), "fixture() returned null");
        clock = new MutableClock(T0);
        backend = Objects.requireNonNull(currentFixture.open(), "fixture().open() returned null");
        memory = register(AgentMemory.builder().backend(backend).clock(clock).build());
        ws = watch(memory.workspace(WORKSPACE));
        otherWs = watch(memory.workspace(OTHER_WORKSPACE));
    }

    @AfterEach
    final void closeContractMemory() {
        RuntimeException failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        watched.clear();
        try {
            if (currentFixture != null) {
                currentFixture.close();
            }
        } catch (Exception e) {
            failure = failure == null ? new IllegalStateException("closing the fixture failed", e) : failure;
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ------------------------------------------------------------------------------------------------ set-up helpers

    /**
     * Opens another memory service over a new backend of the fixture, with the test's clock; it is closed after the
     * test, and its workspace {@value #WORKSPACE} is included in {@link #snapshot()}.
     *
     * @param limits the limits, for example small ones so that a limit can be reached with little data
     * @return the service
     */
    protected AgentMemory open(Limits limits) {
        AgentMemory m = register(AgentMemory.builder().backend(currentFixture.open()).limits(limits).clock(clock)
                .build());
        watch(m.workspace(WORKSPACE));
        return m;
    }

    /**
     * Opens another memory service over a new backend of the fixture, with the test's clock and write policies; it is
     * closed after the test, and its workspace {@value #WORKSPACE} is included in {@link #snapshot()}.
     *
     * @param policies the write policies of each store
     * @return the service
     */
    protected AgentMemory openWithPolicies(dev.agentmemory.policy.StorePolicies policies) {
        AgentMemory m = register(AgentMemory.builder().backend(currentFixture.open()).clock(clock)
                .writePolicies(policies).build());
        watch(m.workspace(WORKSPACE));
        return m;
    }

    /**
     * Returns the workspace {@value #WORKSPACE} of another service opened with {@link #open(Limits)}.
     *
     * @param m the service
     * @return its workspace
     */
    protected static Workspace workspaceOf(AgentMemory m) {
        return m.workspace(WORKSPACE);
    }

    private AgentMemory register(AgentMemory m) {
        opened.push(m);
        return m;
    }

    /**
     * Adds a workspace to those {@link #snapshot()} covers.
     *
     * @param workspace the workspace
     * @return the same workspace
     */
    protected Workspace watch(Workspace workspace) {
        watched.add(workspace);
        return workspace;
    }

    /**
     * Creates a store with a name in {@link #ws}.
     *
     * @param name the name
     * @return the store
     */
    protected MemoryStore newStore(String name) {
        return ws.stores().create(NewStore.named(name).build());
    }

    /**
     * Creates a store in {@link #ws} and returns its memories as the {@link #OPERATOR} sees them.
     *
     * @return read-write memories of a new, empty store
     */
    protected Memories freshStore() {
        return surface(ws.memories(newStore("Project notes").id(), OPERATOR));
    }

    /**
     * The surface under test for the memories of a store as the {@link #OPERATOR} sees them; every test that works
     * on {@link #freshStore()} goes through it. The default is the library's own handle. A module that serves the
     * library over another surface (HTTP, for example) returns a client of that surface for the same store and
     * actor, so that the tests run through it; snapshots, set-up and checks of stored state still read the library
     * directly.
     *
     * @param direct the library's handle on the store, acting as {@link #OPERATOR}
     * @return the handle the test uses
     */
    protected Memories surface(Memories direct) {
        return direct;
    }

    // ------------------------------------------------------------------------------------------------ state checks

    /**
     * One store's whole observable state.
     *
     * @param store the store
     * @param memories every memory, with content, in path order
     * @param versions every version, with content, newest first
     */
    public record StoreState(MemoryStore store, List<Memory> memories, List<MemoryVersion> versions) {
    }

    /**
     * Reads the whole observable state of every watched workspace: each store (archived ones too), its memories and
     * its versions, with content.
     *
     * @return the state by workspace id and store id
     */
    protected Map<String, Map<StoreId, StoreState>> snapshot() {
        Map<String, Map<StoreId, StoreState>> out = new LinkedHashMap<>();
        for (int i = 0; i < watched.size(); i++) {
            Workspace w = watched.get(i);
            Map<StoreId, StoreState> stores = new LinkedHashMap<>();
            for (MemoryStore s : allStores(w, StoreQuery.builder().includeArchived(true).limit(100).build())) {
                Memories m = w.memories(s.id(), SNAPSHOT_READER);
                stores.put(s.id(), new StoreState(s, allMemories(m), allVersions(m, VersionQuery.builder())));
            }
            out.put(i + ":" + w.id().value(), stores);
        }
        return out;
    }

    /**
     * Runs a call that must fail with exactly {@code type} and change nothing anywhere in the watched workspaces.
     *
     * @param type the exact exception type expected
     * @param call the call
     * @param <E> the exception type
     * @return the exception, for checks of its fields
     */
    protected <E extends MemoryException> E rejects(Class<E> type, ThrowingCallable call) {
        Map<String, Map<StoreId, StoreState>> before = snapshot();
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("the call should fail with %s", type.getSimpleName()).isExactlyInstanceOf(type);
        assertThat(thrown.getMessage()).as("the message says what was wrong").isNotBlank();
        assertThat(snapshot()).as("a failed call changes nothing").isEqualTo(before);
        return type.cast(thrown);
    }

    /**
     * Runs a call that must succeed without changing anything (a no-op).
     *
     * @param call the call
     * @param <T> its result type
     * @return its result
     */
    protected <T> T changesNothing(java.util.function.Supplier<T> call) {
        Map<String, Map<StoreId, StoreState>> before = snapshot();
        T result = call.get();
        assertThat(snapshot()).as("the call should change nothing").isEqualTo(before);
        return result;
    }

    // ------------------------------------------------------------------------------------------------ whole listings

    /**
     * Pages through a listing to its end, checking that no page is longer than the page size, that only the last
     * page lacks a cursor, and that no page but the last is short.
     *
     * @param first the first page's query result
     * @param next how to fetch the page a cursor names
     * @param limit the page size
     * @param <T> the item type
     * @return every item, in order
     */
    protected static <T> List<T> drain(Page<T> first, Function<String, Page<T>> next, int limit) {
        List<T> all = new ArrayList<>();
        Page<T> page = first;
        for (int guard = 0; ; guard++) {
            assertThat(guard).as("a listing ends").isLessThan(100_000);
            assertThat(page.items()).as("a page holds at most the page size").hasSizeLessThanOrEqualTo(limit);
            all.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                return all;
            }
            assertThat(page.items()).as("only the last page may be short").hasSize(limit);
            page = next.apply(page.nextCursor().get());
        }
    }

    /**
     * Lists every entry a memory query matches, across all pages.
     *
     * @param m the memories
     * @param query the query (its page size is kept)
     * @return every entry, in order
     */
    protected static List<ListEntry> listAll(Memories m, ListQuery query) {
        return drain(m.list(query), c -> m.list(query.page(c)), query.limit());
    }

    /**
     * Returns every memory of a store, with content, in path order.
     *
     * @param m the memories
     * @return the memories
     */
    protected static List<Memory> allMemories(Memories m) {
        return listAll(m, ListQuery.builder().limit(100).includeContent(true).build()).stream()
                .map(Memory.class::cast).toList();
    }

    /**
     * Returns every version a query matches, with content, newest first.
     *
     * @param m the memories
     * @param query the filters (page size and content are set here)
     * @return the versions
     */
    protected static List<MemoryVersion> allVersions(Memories m, VersionQuery.Builder query) {
        VersionQuery q = query.limit(100).includeContent(true).build();
        return drain(m.versions(q), c -> m.versions(q.page(c)), 100);
    }

    /**
     * Returns every version of one memory, with content, newest first.
     *
     * @param m the memories
     * @param id the memory
     * @return its versions
     */
    protected static List<MemoryVersion> history(Memories m, MemoryId id) {
        return allVersions(m, VersionQuery.ofMemory(id));
    }

    /**
     * Returns every store a query matches, across all pages.
     *
     * @param w the workspace
     * @param query the query (its page size is kept)
     * @return the stores, newest first
     */
    protected static List<MemoryStore> allStores(Workspace w, StoreQuery query) {
        return drain(w.stores().list(query), c -> w.stores().list(query.page(c)), query.limit());
    }

    // ------------------------------------------------------------------------------------------------ small helpers

    /**
     * Computes the SHA-256 of a text's UTF-8 bytes independently of the library.
     *
     * @param text the text
     * @return lowercase hex
     */
    protected static String sha256(String text) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Counts a text's UTF-8 bytes independently of the library.
     *
     * @param text the text
     * @return the byte count
     */
    protected static long utf8Size(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Checks that a value returned by the library holds no {@code null} anywhere: every record component, every
     * element of a list or map, and the content of every present {@link Optional}, recursively.
     *
     * @param value a value the library returned
     */
    protected static void assertNoNulls(Object value) {
        assertNoNulls(value, "value");
    }

    private static void assertNoNulls(Object value, String where) {
        assertThat(value).as("%s is not null", where).isNotNull();
        if (value instanceof Optional<?> o) {
            o.ifPresent(v -> assertNoNulls(v, where + ".get()"));
        } else if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                assertNoNulls(e, where + "[" + i++ + "]");
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                assertNoNulls(k, where + " key");
                assertNoNulls(v, where + "[" + k + "]");
            });
        } else if (value.getClass().isRecord()) {
            for (RecordComponent rc : value.getClass().getRecordComponents()) {
                Object component;
                try {
                    component = rc.getAccessor().invoke(value);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new AssertionError("cannot read " + where + "." + rc.getName(), e);
                }
                assertNoNulls(component, where + "." + rc.getName() + "()");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ threads

    /** A body run on one of several threads; {@code thread} numbers it from 0. */
    @FunctionalInterface
    protected interface ThreadBody {
        /**
         * Runs the body.
         *
         * @param thread which thread this is
         * @throws Exception anything, which fails the test
         */
        void run(int thread) throws Exception;
    }

    /**
     * Starts {@code threads} threads together on a body and waits for all of them (two minutes at the most); a body's
     * failure fails the caller.
     *
     * @param threads how many
     * @param body what each runs
     * @throws Exception a body's failure, or a timeout
     */
    protected static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
