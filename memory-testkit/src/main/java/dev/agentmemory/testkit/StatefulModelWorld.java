package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryPrefix;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.testkit.StatefulModelOps.Ancestor;
import dev.agentmemory.testkit.StatefulModelOps.Below;
import dev.agentmemory.testkit.StatefulModelOps.ChangeSpec;
import dev.agentmemory.testkit.StatefulModelOps.ContentSpec;
import dev.agentmemory.testkit.StatefulModelOps.CreateChange;
import dev.agentmemory.testkit.StatefulModelOps.CursorKind;
import dev.agentmemory.testkit.StatefulModelOps.CursorSpec;
import dev.agentmemory.testkit.StatefulModelOps.DeleteChange;
import dev.agentmemory.testkit.StatefulModelOps.DirOf;
import dev.agentmemory.testkit.StatefulModelOps.Existing;
import dev.agentmemory.testkit.StatefulModelOps.Fresh;
import dev.agentmemory.testkit.StatefulModelOps.FreshDir;
import dev.agentmemory.testkit.StatefulModelOps.HandleSel;
import dev.agentmemory.testkit.StatefulModelOps.IdSpec;
import dev.agentmemory.testkit.StatefulModelOps.InsideFrom;
import dev.agentmemory.testkit.StatefulModelOps.ParentOfFrom;
import dev.agentmemory.testkit.StatefulModelOps.PathSpec;
import dev.agentmemory.testkit.StatefulModelOps.PrefixSpec;
import dev.agentmemory.testkit.StatefulModelOps.Raw;
import dev.agentmemory.testkit.StatefulModelOps.RawPrefix;
import dev.agentmemory.testkit.StatefulModelOps.Root;
import dev.agentmemory.testkit.StatefulModelOps.SameAsFrom;
import dev.agentmemory.testkit.StatefulModelOps.ShaSpec;
import dev.agentmemory.testkit.StatefulModelOps.ToPrefix;
import dev.agentmemory.testkit.StatefulModelOps.ToSpec;
import dev.agentmemory.testkit.StatefulModelOps.UpdateChange;
import dev.agentmemory.testkit.StatefulModelOps.VersionFilterSpec;
import dev.agentmemory.testkit.StatefulModelOps.VersionSel;
import dev.agentmemory.testkit.StatefulModelStore.Change;
import dev.agentmemory.testkit.StatefulModelStore.Dir;
import dev.agentmemory.testkit.StatefulModelStore.Entry;
import dev.agentmemory.testkit.StatefulModelStore.Mem;
import dev.agentmemory.testkit.StatefulModelStore.Ver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import net.jqwik.api.statistics.Statistics;

/**
 * The state of one stateful-model run: a real {@link AgentMemory} over a fresh backend with two small stores, the
 * handles that reach them (operator handles, and session mounts read-write and read-only), the reference model of
 * each store, and the mapping between the model's ids and the real generated ids and timestamps.
 *
 * <p>Every operation runs on both sides. Results are compared field by field after mapping ids; failures are
 * compared by exception class and key fields. Real ids and timestamps are bound to model ids when a write produces
 * them, so that every later read is compared strictly.
 */
final class StatefulModelWorld implements AutoCloseable {

    /** Global limits: paths of at most 16 bytes and 3 segments; content 20 bytes; 7 memories per store. */
    static final int MAX_PATH_BYTES = 16;
    static final int MAX_PATH_SEGMENTS = 3;
    static final int DEFAULT_CONTENT_BYTES = 20;
    static final int DEFAULT_MEMORIES = 7;
    /** Store 0 ("Alpha Notes") overrides both: 12 bytes and 4 memories. */
    static final int ALPHA_CONTENT_BYTES = 12;
    static final int ALPHA_MEMORIES = 4;

    private static final MemoryId FAKE_MEMORY = MemoryId.of("mem_0000000000000000000000000000z");
    private static final VersionId FAKE_VERSION = VersionId.of("memver_0000000000000000000000000000z");
    private static final String FAKE = "fake";
    private static final String UNBOUND = "<unbound>";
    private static final int MAX_PAGES = 200;
    /** The statistics label under which operation outcomes are collected. */
    static final String OUTCOMES = "outcomes";

    /** A way into a store: who writes, and whether writes are allowed. */
    record Handle(String label, int store, Memories memories, boolean readOnly, Actor actor) {
    }

    /** A memory, as compared. */
    record MemView(String id, int store, String path, Optional<String> content, String sha256, long size,
            String head, Instant createdAt, Instant updatedAt) {
    }

    /** A version, as compared. */
    record VerView(String id, int store, String memory, String operation, Optional<String> path,
            Optional<String> content, Optional<String> sha256, Optional<Long> size, Actor createdBy,
            Instant createdAt, Optional<Instant> redactedAt, Optional<Actor> redactedBy) {
    }

    /** A batch change result, as compared. */
    record ChangeView(String memory, Optional<MemView> after, Optional<VerView> version) {
    }

    /** A page, as compared. */
    record PageView(List<Object> items, boolean hasMore) {
    }

    /** A cursor seen in a memory listing: the query it belongs to and the last key of its page. */
    private record ListCursor(int store, String prefix, int depth, String lastKey, String cursor) {
    }

    /** A cursor seen in a version listing. */
    private record VersionCursor(int store, VFilter filter, String lastVid, String cursor) {
    }

    private final AgentMemory memory;
    private final Workspace workspace;
    private final StoreId[] storeIds = new StoreId[2];
    private final StatefulModelStore[] models = new StatefulModelStore[2];
    private final List<Handle> handles = new ArrayList<>();
    private final List<Actor> actors = new ArrayList<>();
    private final Map<String, MemoryId> memIds = new HashMap<>();
    private final Map<MemoryId, String> memNames = new HashMap<>();
    private final Map<String, VersionId> verIds = new HashMap<>();
    private final Map<VersionId, String> verNames = new HashMap<>();
    private final Map<String, Instant> verTimes = new HashMap<>();
    private final Map<String, Instant> redactTimes = new HashMap<>();
    private final Instant[] archivedAt = new Instant[2];
    private final MemoryId[] lastMemoryId = new MemoryId[2];
    private final List<ListCursor> listCursors = new ArrayList<>();
    private final List<VersionCursor> versionCursors = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private int nextMemory;
    private int nextVersion;
    private int sessions;
    private int operations;
    private final StatefulModelStore.IdMaker idMaker = new StatefulModelStore.IdMaker() {
        @Override
        public String memoryId() {
            return "m" + ++nextMemory;
        }

        @Override
        public String versionId() {
            return "v" + ++nextVersion;
        }
    };

    StatefulModelWorld(MemoryBackend backend) {
        Limits limits = Limits.builder().maxPathBytes(MAX_PATH_BYTES).maxPathSegments(MAX_PATH_SEGMENTS)
                .maxContentBytes(DEFAULT_CONTENT_BYTES).maxMemoriesPerStore(DEFAULT_MEMORIES).build();
        memory = AgentMemory.builder().backend(backend).limits(limits).build();
        workspace = memory.workspace("ws_stateful_model");
        storeIds[0] = workspace.stores().create(NewStore.named("Alpha Notes").contentLimitBytes(ALPHA_CONTENT_BYTES)
                .memoryLimit(ALPHA_MEMORIES).build()).id();
        storeIds[1] = workspace.stores().create(NewStore.named("Beta").build()).id();
        models[0] = new StatefulModelStore(0, ALPHA_CONTENT_BYTES, ALPHA_MEMORIES, MAX_PATH_BYTES, MAX_PATH_SEGMENTS);
        models[1] = new StatefulModelStore(1, DEFAULT_CONTENT_BYTES, DEFAULT_MEMORIES, MAX_PATH_BYTES,
                MAX_PATH_SEGMENTS);
        memIds.put(FAKE, FAKE_MEMORY);
        memNames.put(FAKE_MEMORY, FAKE);
        verIds.put(FAKE, FAKE_VERSION);
        verNames.put(FAKE_VERSION, FAKE);
        Actor operator = Actor.apiKey("key_stateful_model");
        actors.add(operator);
        handles.add(new Handle("operator/alpha", 0, workspace.memories(storeIds[0], operator), false, operator));
        handles.add(new Handle("operator/beta", 1, workspace.memories(storeIds[1], operator), false, operator));
        Session s = workspace.sessions().create(List.of(AttachmentSpec.readWrite(storeIds[0]),
                AttachmentSpec.readOnly(storeIds[1])));
        addSessionHandles(s, List.of(new StatefulModelOps.Attach(0, false), new StatefulModelOps.Attach(1, true)),
                true);
    }

    @Override
    public void close() {
        memory.close();
    }

    int handleCount() {
        return handles.size();
    }

    /** Counts an operation; archiving waits for a store to have some history. */
    void countOperation() {
        operations++;
    }

    boolean mayArchive() {
        return operations >= 20 && !anyArchived();
    }

    boolean anyArchived() {
        return models[0].archived || models[1].archived;
    }

    /** The operations run so far, for failure messages. */
    String history() {
        int from = Math.max(0, log.size() - 80);
        return String.join("\n  ", log.subList(from, log.size()));
    }

    private String context() {
        return "model and service disagree; operations so far:\n  " + history();
    }

    // ------------------------------------------------------------------ resolving selectors

    private Handle handle(HandleSel sel) {
        List<Handle> pool = sel.writableOnly() ? handles.stream().filter(h -> !h.readOnly()).toList() : handles;
        if (pool.isEmpty()) {
            pool = handles;
        }
        return pool.get(sel.k() % pool.size());
    }

    private static <T> T pick(List<T> list, int k) {
        return list.isEmpty() ? null : list.get(k % list.size());
    }

    private String path(int store, PathSpec spec) {
        List<Mem> live = models[store].memories();
        if (spec instanceof Fresh f) {
            return "/" + String.join("/", f.segments());
        }
        if (spec instanceof Existing e) {
            Mem m = pick(live, e.k());
            return m == null ? "/a" : m.path();
        }
        if (spec instanceof Ancestor a) {
            List<String> dirs = new ArrayList<>();
            live.forEach(m -> dirs.addAll(StatefulModelRules.ancestors(m.path())));
            String d = pick(dirs, a.k());
            return d == null ? "/b" : d;
        }
        if (spec instanceof Below b) {
            Mem m = pick(live, b.k());
            return (m == null ? "/a" : m.path()) + "/" + b.segment();
        }
        return ((Raw) spec).raw();
    }

    private String prefix(int store, PrefixSpec spec) {
        if (spec instanceof Root) {
            return "/";
        }
        if (spec instanceof DirOf d) {
            List<String> dirs = new ArrayList<>();
            for (Mem m : models[store].memories()) {
                if (d.k() % 4 == 3) {
                    dirs.add(m.path() + "/");
                } else {
                    StatefulModelRules.ancestors(m.path()).forEach(a -> dirs.add(a + "/"));
                }
            }
            String p = pick(dirs.stream().distinct().toList(), d.k());
            return p == null ? "/a/" : p;
        }
        if (spec instanceof FreshDir f) {
            return "/" + String.join("/", f.segments()) + "/";
        }
        return ((RawPrefix) spec).raw();
    }

    private String memoryId(int store, IdSpec spec) {
        List<String> pool = switch (spec.kind()) {
            case LIVE -> models[store].memories().stream().map(Mem::id).toList();
            case DELETED -> models[store].deletedIds();
            case OTHER_STORE -> models[1 - store].createdIds();
            case FAKE -> List.of(FAKE);
        };
        String id = pick(pool, spec.k());
        if (id == null && spec.kind() == StatefulModelOps.IdKind.DELETED) {
            id = pick(models[store].memories().stream().map(Mem::id).toList(), spec.k());
        }
        return id == null ? FAKE : id;
    }

    private String content(int store, String memId, ContentSpec spec) {
        StatefulModelStore s = models[store];
        Mem m = memId == null ? null : s.memory(memId);
        return switch (spec.kind()) {
            case LITERAL -> pick(StatefulModelOps.CONTENTS, spec.k());
            case SAME -> m == null ? "x" : m.content();
            case STALE -> {
                List<String> old = memId == null ? List.of() : s.versions().stream()
                        .filter(v -> v.memId().equals(memId) && v.content() != null).map(Ver::content).toList();
                String c = pick(old, spec.k());
                yield c == null ? "old" : c;
            }
            case AT_LIMIT -> "y".repeat(s.contentLimit);
            case OVER_LIMIT -> "y".repeat(s.contentLimit + 1);
            case OVER_LIMIT_MULTIBYTE -> "\u20ac".repeat(s.contentLimit / 3 + 1);
            case UNPAIRED_SURROGATE -> spec.k() % 2 == 0 ? "bad\uD800" : "\uDC00x";
        };
    }

    private String sha(int store, String memId, ShaSpec spec) {
        StatefulModelStore s = models[store];
        Mem m = s.memory(memId);
        String right = StatefulModelRules.sha256(m == null ? "gone" : m.content());
        return switch (spec.kind()) {
            case NONE -> null;
            case RIGHT -> right;
            case WRONG -> StatefulModelRules.sha256("never stored " + spec.k());
            case STALE -> {
                List<String> old = s.versions().stream()
                        .filter(v -> v.memId().equals(memId) && v.content() != null).map(Ver::content).toList();
                String c = pick(old, spec.k());
                yield StatefulModelRules.sha256(c == null ? "old" : c);
            }
            case UPPERCASE -> right.toUpperCase(java.util.Locale.ROOT);
            case SHORT -> right.substring(0, 12);
        };
    }

    private String versionId(int store, VersionSel sel) {
        List<String> pool = switch (sel.kind()) {
            case THIS_STORE -> models[store].versions().stream().map(Ver::id).toList();
            case OTHER_STORE -> models[1 - store].versions().stream().map(Ver::id).toList();
            case FAKE -> List.of(FAKE);
        };
        String v = pick(pool, sel.k());
        return v == null ? FAKE : v;
    }

    // ------------------------------------------------------------------ running both sides

    /**
     * What one side did: a result (which an operation without one leaves empty) or a failure, never both.
     *
     * @param result the result, if the call succeeded and returned one
     * @param failed the failure's shape, if the call failed
     */
    private record Outcome<T>(Optional<T> result, Optional<StatefulModelFailure.Shape> failed) {

        static <T> Outcome<T> succeeded(T value) {
            return new Outcome<>(Optional.ofNullable(value), Optional.empty());
        }

        static <T> Outcome<T> failed(StatefulModelFailure.Shape shape) {
            return new Outcome<>(Optional.empty(), Optional.of(shape));
        }

        boolean ok() {
            return failed.isEmpty();
        }

        /** The result of a call that succeeded with one. */
        T value() {
            return result.orElseThrow(() -> new IllegalStateException("no result: " + this));
        }

        /** The failure of a call that failed. */
        StatefulModelFailure.Shape failure() {
            return failed.orElseThrow(() -> new IllegalStateException("did not fail: " + this));
        }

        @Override
        public String toString() {
            return failed.map(Object::toString).orElseGet(() -> "success: " + result.map(Object::toString)
                    .orElse("(no result)"));
        }
    }

    /** How a success is shown when only one side succeeded: its result, or {@code null} for none. */
    private static String success(Outcome<?> o) {
        return "success: " + o.result().map(String::valueOf).orElse("null");
    }

    private <T> Outcome<T> real(Supplier<T> call) {
        try {
            return Outcome.succeeded(call.get());
        } catch (MemoryException e) {
            return Outcome.failed(shapeOf(e));
        }
    }

    private <T> Outcome<T> model(Supplier<T> call) {
        try {
            return Outcome.succeeded(call.get());
        } catch (StatefulModelFailure f) {
            return Outcome.failed(normalize(f.shape()));
        }
    }

    /** Compares failures; returns true if both sides succeeded and the results still need comparing. */
    private boolean bothSucceeded(String op, Outcome<?> real, Outcome<?> model) {
        outcome(op, model.ok() ? "ok" : model.failure().type().getSimpleName()
                + (model.failure().type() == InvalidArgumentException.class
                        || model.failure().type() == LimitExceededException.class
                        ? " " + model.failure().fields().get(0) : ""));
        if (real.ok() && model.ok()) {
            return true;
        }
        assertThat(real.ok() ? success(real) : real.failure())
                .as(this::context)
                .isEqualTo(model.ok() ? success(model) : model.failure());
        return false;
    }

    /** Counts what an operation did, for jqwik's statistics and the suite's coverage checks. */
    private static void outcome(String op, String what) {
        Statistics.label(OUTCOMES).collect(op + ": " + what);
    }

    private void same(Object real, Object model) {
        assertThat(real).as(this::context).isEqualTo(model);
    }

    /** Read-only handle, then archived store: the first two checks of every write. */
    private <T> Supplier<T> guarded(Handle h, Supplier<T> body) {
        return () -> {
            if (h.readOnly()) {
                throw StatefulModelFailure.of(ReadOnlyException.class);
            }
            if (models[h.store()].archived) {
                throw StatefulModelFailure.of(ArchivedException.class, h.store());
            }
            return body.get();
        };
    }

    // ------------------------------------------------------------------ the operations

    void create(StatefulModelOps.Create op) {
        Handle h = handle(op.h());
        String path = path(h.store(), op.path());
        String content = content(h.store(), null, op.content());
        log.add("create via " + h.label() + " " + show(path) + " " + show(content));
        Outcome<Memory> real = real(() -> h.memories().create(path, content));
        Outcome<Change> model = model(guarded(h, () -> models[h.store()].atomically(
                s -> s.create(path, content, h.actor(), idMaker))));
        if (bothSucceeded("create", real, model)) {
            bindMemory(model.value().memory(), real.value());
            same(view(real.value()), view(h.store(), model.value().memory(), true));
        }
    }

    void get(StatefulModelOps.Get op) {
        Handle h = handle(op.h());
        String id = memoryId(h.store(), op.id());
        log.add("get via " + h.label() + " " + id);
        Outcome<Memory> real = real(() -> h.memories().get(memIds.get(id)));
        Outcome<Mem> model = model(() -> models[h.store()].get(id));
        if (bothSucceeded("get", real, model)) {
            same(view(real.value()), view(h.store(), model.value(), true));
        }
    }

    void getByPath(StatefulModelOps.GetByPath op) {
        Handle h = handle(op.h());
        String path = path(h.store(), op.path());
        log.add((op.find() ? "findByPath" : "getByPath") + " via " + h.label() + " " + show(path));
        StatefulModelStore s = models[h.store()];
        Outcome<Optional<MemView>> real = real(() -> {
            if (op.find()) {
                return h.memories().findByPath(path).map(this::view);
            }
            return Optional.of(view(h.memories().getByPath(path)));
        });
        Outcome<Optional<MemView>> model = model(() -> {
            Mem m = s.byPath(StatefulModelRules.path(path, MAX_PATH_BYTES, MAX_PATH_SEGMENTS));
            if (m == null && !op.find()) {
                throw StatefulModelFailure.of(NotFoundException.class);
            }
            return Optional.ofNullable(m).map(x -> view(h.store(), x, true));
        });
        if (bothSucceeded("getByPath", real, model)) {
            same(real.value(), model.value());
        }
    }

    void list(StatefulModelOps.ListMemories op) {
        String cursor = listStartCursor(op.cursor());
        ListCursor continued = continued(op.cursor(), listCursors);
        Handle h = continued == null ? handle(op.h()) : handles.get(continued.store());
        String prefix = continued == null ? prefix(h.store(), op.prefix()) : continued.prefix();
        int depth = continued == null ? op.depth() : continued.depth();
        log.add("list via " + h.label() + " " + show(prefix) + " depth " + depth + " limit " + op.limit()
                + (op.content() ? " with content" : "") + (cursor == null ? "" : " from cursor " + show(cursor)));
        StatefulModelStore s = models[h.store()];
        List<ListCursor> seen = new ArrayList<>();
        Outcome<List<PageView>> real = real(() -> {
            ListQuery.Builder b = ListQuery.under(prefix).depth(depth).limit(op.limit())
                    .includeContent(op.content());
            if (cursor != null) {
                b.cursor(cursor);
            }
            ListQuery q = b.build();
            List<PageView> pages = new ArrayList<>();
            Page<ListEntry> page = h.memories().list(q);
            while (true) {
                pages.add(new PageView(page.items().stream().map(this::entryView).toList(), page.hasMore()));
                if (page.nextCursor().isEmpty() || pages.size() > MAX_PAGES) {
                    break;
                }
                String next = page.nextCursor().get();
                String last = page.items().get(page.items().size() - 1).path();
                seen.add(new ListCursor(h.store(), normalizedPrefixOrNull(prefix), depth, last, next));
                page = h.memories().list(q.page(next));
            }
            return pages;
        });
        Outcome<List<PageView>> model = model(() -> {
            String p = StatefulModelRules.prefix(prefix, MAX_PATH_BYTES, MAX_PATH_SEGMENTS);
            if (depth != 0 && depth != 1) {
                throw StatefulModelFailure.of(InvalidArgumentException.class, "list.depth");
            }
            checkLimit(op.limit());
            List<Entry> entries = s.entries(p, depth);
            if (cursor != null) {
                String after = listCursorKey(cursor, h.store(), p, depth);
                entries = entries.stream().filter(e -> StatefulModelRules.compareCodePoints(e.path(), after) > 0
                        && !(after.endsWith("/") && e.path().startsWith(after))).toList();
            }
            List<Object> views = entries.stream().map(e -> e instanceof Dir d ? (Object) new MemoryPrefix(d.path())
                    : view(h.store(), (Mem) e, op.content())).toList();
            return pages(views, op.limit());
        });
        seen.forEach(this::rememberListCursor);
        if (bothSucceeded("list", real, model)) {
            outcome("list", (depth == 1 ? "depth 1, " : "depth 0, ") + (cursor != null ? "from a cursor, " : "")
                    + (model.value().size() > 1 ? "several pages" : "one page"));
            same(real.value(), model.value());
        }
    }

    void update(StatefulModelOps.Update op) {
        Handle h = handle(op.h());
        String id = memoryId(h.store(), op.id());
        String path = op.path() == null ? null : path(h.store(), op.path());
        String content = op.content() == null ? null : content(h.store(), id, op.content());
        String sha = sha(h.store(), id, op.sha());
        log.add("update via " + h.label() + " " + id + " path " + show(path) + " content " + show(content)
                + " if " + show(sha));
        Outcome<Memory> real = real(() -> h.memories().update(memIds.get(id), new MemoryUpdate(
                Optional.ofNullable(content), Optional.ofNullable(path), Optional.ofNullable(sha))));
        Outcome<Change> model = model(guarded(h, () -> models[h.store()].atomically(
                s -> s.update(id, path, content, sha, h.actor(), idMaker))));
        if (bothSucceeded("update", real, model)) {
            outcome("update", model.value().version() == null ? "no-op"
                    : path != null && content != null ? "content and path" : path != null ? "rename" : "content");
            bindMemory(model.value().memory(), real.value());
            same(view(real.value()), view(h.store(), model.value().memory(), true));
        }
    }

    void delete(StatefulModelOps.Delete op) {
        Handle h = handle(op.h());
        String id = memoryId(h.store(), op.id());
        String sha = sha(h.store(), id, op.sha());
        log.add("delete via " + h.label() + " " + id + " if " + show(sha));
        Outcome<Boolean> real = real(() -> {
            if (sha == null) {
                h.memories().delete(memIds.get(id));
            } else {
                h.memories().delete(memIds.get(id), sha);
            }
            return true;
        });
        Outcome<Change> model = model(guarded(h, () -> models[h.store()].atomically(
                s -> s.delete(id, sha, h.actor(), idMaker))));
        if (bothSucceeded("delete", real, model)) {
            // The deletion's version is the memory's newest: bind it, and check it.
            Page<MemoryVersion> newest = h.memories().versions(VersionQuery.ofMemory(memIds.get(id)).limit(1)
                    .includeContent(true).build());
            assertThat(newest.items()).as(this::context).hasSize(1);
            MemoryVersion v = newest.items().get(0);
            bindVersion(model.value().version().id(), v.id(), v.createdAt());
            same(view(v), view(h.store(), model.value().version(), true));
        }
    }

    void move(StatefulModelOps.Move op) {
        Handle h = handle(op.h());
        String from = prefix(h.store(), op.from());
        String to = destination(h.store(), from, op.to());
        log.add("move via " + h.label() + " " + show(from) + " -> " + show(to));
        Outcome<List<Memory>> real = real(() -> h.memories().move(from, to));
        Outcome<List<Mem>> model = model(guarded(h, () -> models[h.store()].atomically(
                s -> s.move(from, to, h.actor(), idMaker))));
        if (bothSucceeded("move", real, model)) {
            if (from.equals(to)) {
                outcome("move", "no-op");
            }
            List<Memory> r = real.value();
            List<Mem> m = model.value();
            if (r.size() == m.size()) {
                for (int i = 0; i < r.size(); i++) {
                    bindVersion(m.get(i).headVid(), r.get(i).headVersionId(), r.get(i).updatedAt());
                }
            }
            same(r.stream().map(this::view).toList(), m.stream().map(x -> view(h.store(), x, false)).toList());
        }
    }

    private String destination(int store, String from, ToSpec spec) {
        if (spec instanceof SameAsFrom) {
            return from;
        }
        if (spec instanceof InsideFrom i) {
            return from + i.segment() + "/";
        }
        if (spec instanceof ParentOfFrom) {
            String trimmed = from.endsWith("/") ? from.substring(0, from.length() - 1) : from;
            int slash = trimmed.lastIndexOf('/');
            return slash <= 0 ? "/b/" : trimmed.substring(0, slash + 1) + "b/";
        }
        return prefix(store, ((ToPrefix) spec).prefix());
    }

    void batch(StatefulModelOps.ApplyBatch op) {
        Handle h = handle(op.h());
        int st = h.store();
        // Resolve every change against the state before the batch.
        List<Object[]> resolved = new ArrayList<>();
        Batch.Builder b = Batch.builder();
        StringBuilder desc = new StringBuilder("batch via " + h.label() + ":");
        for (ChangeSpec c : op.changes()) {
            if (c instanceof CreateChange cc) {
                String path = path(st, cc.path());
                String content = content(st, null, cc.content());
                b.create(path, content);
                resolved.add(new Object[] {"create", path, content});
                desc.append(" [create ").append(show(path)).append(' ').append(show(content)).append(']');
            } else if (c instanceof UpdateChange uc) {
                String id = memoryId(st, uc.id());
                String path = uc.path() == null ? null : path(st, uc.path());
                String content = uc.content() == null ? null : content(st, id, uc.content());
                String sha = sha(st, id, uc.sha());
                b.update(memIds.get(id), new MemoryUpdate(Optional.ofNullable(content), Optional.ofNullable(path),
                        Optional.ofNullable(sha)));
                resolved.add(new Object[] {"update", id, path, content, sha});
                desc.append(" [update ").append(id).append(" path ").append(show(path)).append(" content ")
                        .append(show(content)).append(" if ").append(show(sha)).append(']');
            } else {
                DeleteChange dc = (DeleteChange) c;
                String id = memoryId(st, dc.id());
                String sha = sha(st, id, dc.sha());
                b.add(new dev.agentmemory.model.Change.Delete(memIds.get(id), Optional.ofNullable(sha)));
                resolved.add(new Object[] {"delete", id, sha});
                desc.append(" [delete ").append(id).append(" if ").append(show(sha)).append(']');
            }
        }
        log.add(desc.toString());
        Batch batch = b.build();
        Outcome<List<ChangeResult>> real = real(() -> h.memories().apply(batch));
        Outcome<List<Change>> model = model(() -> {
            if (resolved.isEmpty()) {
                throw StatefulModelFailure.of(InvalidArgumentException.class, "batch.empty");
            }
            return guarded(h, () -> models[st].atomically(s -> {
                List<Change> out = new ArrayList<>();
                for (Object[] r : resolved) {
                    switch ((String) r[0]) {
                        case "create" -> out.add(s.create((String) r[1], (String) r[2], h.actor(), idMaker));
                        case "update" -> out.add(s.update((String) r[1], (String) r[2], (String) r[3],
                                (String) r[4], h.actor(), idMaker));
                        default -> out.add(s.delete((String) r[1], (String) r[2], h.actor(), idMaker));
                    }
                }
                return out;
            })).get();
        });
        if (bothSucceeded("batch", real, model)) {
            outcome("batch", model.value().size() + " changes");
            List<ChangeResult> r = real.value();
            List<Change> m = model.value();
            if (r.size() == m.size()) {
                for (int i = 0; i < r.size(); i++) {
                    bindMemoryId(m.get(i).memoryId(), r.get(i).memoryId());
                    Ver mv = m.get(i).version();
                    Optional<MemoryVersion> rv = r.get(i).version();
                    if (mv != null && rv.isPresent()) {
                        bindVersion(mv.id(), rv.get().id(), rv.get().createdAt());
                    }
                }
            }
            same(r.stream().map(c -> new ChangeView(memName(c.memoryId()), c.memory().map(this::view),
                    c.version().map(this::view))).toList(),
                    m.stream().map(c -> new ChangeView(c.memoryId(),
                            Optional.ofNullable(c.memory()).map(x -> view(st, x, true)),
                            Optional.ofNullable(c.version()).map(v -> view(st, v, true)))).toList());
        }
    }

    /** A version listing's filter in model terms; its {@code toString} identifies the query for cursors. */
    private record VFilter(String memId, Actor actor, dev.agentmemory.model.Operation operation, Instant after,
            Instant before) {
        boolean matches(Ver v, Instant createdAt) {
            return (memId == null || v.memId().equals(memId)) && (actor == null || v.by().equals(actor))
                    && (operation == null || v.op() == operation)
                    && (after == null || !createdAt.isBefore(after)) && (before == null || !createdAt.isAfter(before));
        }
    }

    void versions(StatefulModelOps.ListVersions op) {
        String cursor = versionStartCursor(op.cursor());
        VersionCursor continued = continued(op.cursor(), versionCursors);
        Handle h = continued == null ? handle(op.h()) : handles.get(continued.store());
        int st = h.store();
        VFilter filter = continued != null ? continued.filter() : versionFilter(st, op.filter());
        log.add("versions via " + h.label() + " " + filter + " limit " + op.limit()
                + (op.content() ? " with content" : "") + (cursor == null ? "" : " from cursor " + show(cursor)));
        List<VersionCursor> seen = new ArrayList<>();
        Outcome<List<PageView>> real = real(() -> {
            VersionQuery.Builder b = VersionQuery.builder().limit(op.limit()).includeContent(op.content());
            if (filter.memId() != null) {
                b.memoryId(memIds.get(filter.memId()));
            }
            if (filter.actor() != null) {
                b.actor(filter.actor());
            }
            if (filter.operation() != null) {
                b.operation(filter.operation());
            }
            if (filter.after() != null) {
                b.createdAtOrAfter(filter.after());
            }
            if (filter.before() != null) {
                b.createdAtOrBefore(filter.before());
            }
            if (cursor != null) {
                b.cursor(cursor);
            }
            VersionQuery q = b.build();
            List<PageView> pages = new ArrayList<>();
            Page<MemoryVersion> page = h.memories().versions(q);
            while (true) {
                pages.add(new PageView(page.items().stream().map(v -> (Object) view(v)).toList(), page.hasMore()));
                if (page.nextCursor().isEmpty() || pages.size() > MAX_PAGES) {
                    break;
                }
                String next = page.nextCursor().get();
                VersionId last = page.items().get(page.items().size() - 1).id();
                seen.add(new VersionCursor(st, filter, verNames.getOrDefault(last, UNBOUND), next));
                page = h.memories().versions(q.page(next));
            }
            return pages;
        });
        Outcome<List<PageView>> model = model(() -> {
            checkLimit(op.limit());
            List<Ver> all = models[st].versions();
            int before = all.size();
            if (cursor != null) {
                before = indexOf(all, versionCursorKey(cursor, st, filter));
            }
            List<Object> views = new ArrayList<>();
            for (int i = before - 1; i >= 0; i--) {
                Ver v = all.get(i);
                if (filter.matches(v, verTimes.get(v.id()))) {
                    views.add(view(st, v, op.content()));
                }
            }
            return pages(views, op.limit());
        });
        seen.forEach(this::rememberVersionCursor);
        if (bothSucceeded("versions", real, model)) {
            outcome("versions", (cursor != null ? "from a cursor, " : "")
                    + (model.value().size() > 1 ? "several pages" : "one page"));
            same(real.value(), model.value());
        }
    }

    private VFilter versionFilter(int st, VersionFilterSpec f) {
        List<Ver> all = models[st].versions();
        Ver at = pick(all, f.k());
        Instant time = at == null ? Instant.EPOCH : verTimes.get(at.id());
        return switch (f.kind()) {
            case ALL -> new VFilter(null, null, null, null, null);
            case MEMORY -> new VFilter(memoryId(st, f.memory()), null, null, null, null);
            case ACTOR -> new VFilter(null, pick(actors, f.k()), null, null, null);
            case OPERATION -> new VFilter(null, null, f.operation(), null, null);
            case CREATED_AFTER -> new VFilter(null, null, null, time, null);
            case CREATED_BEFORE -> new VFilter(null, null, null, null, time);
        };
    }

    void version(StatefulModelOps.GetVersion op) {
        Handle h = handle(op.h());
        String vid = versionId(h.store(), op.version());
        log.add("version via " + h.label() + " " + vid);
        Outcome<VerView> real = real(() -> view(h.memories().version(verIds.get(vid))));
        Outcome<VerView> model = model(() -> {
            Ver v = models[h.store()].version(vid);
            if (v == null) {
                throw StatefulModelFailure.of(NotFoundException.class);
            }
            return view(h.store(), v, true);
        });
        if (bothSucceeded("version", real, model)) {
            same(real.value(), model.value());
        }
    }

    void redact(StatefulModelOps.Redact op) {
        int st = op.store();
        String vid = versionId(st, op.version());
        Actor who = op.byUser() ? Actor.user("user_model") : Actor.serviceAccount("sa_model");
        log.add("redact in store " + st + " " + vid + " by " + who);
        boolean wasRedacted = models[st].version(vid) != null && models[st].version(vid).isRedacted();
        Outcome<MemoryVersion> real = real(() -> workspace.stores().redact(storeIds[st], verIds.get(vid), who)
                .version());
        Outcome<Ver> model = model(() -> {
            if (models[st].archived) {
                throw StatefulModelFailure.of(ArchivedException.class, st);
            }
            return models[st].atomically(s -> s.redact(vid, who));
        });
        if (bothSucceeded("redact", real, model)) {
            if (wasRedacted) {
                outcome("redact", "already redacted");
            } else {
                redactTimes.put(vid, real.value().redactedAt().orElse(null));
            }
            same(view(real.value()), view(st, model.value(), true));
        }
    }

    void archive(StatefulModelOps.Archive op) {
        int st = op.store() >= 0 ? op.store() : (models[0].archived ? 0 : 1);
        log.add("archive store " + st);
        MemoryStore real = workspace.stores().archive(storeIds[st]);
        if (!models[st].archived) {
            archivedAt[st] = real.archivedAt().orElse(null);
            models[st].archived = true;
        }
        same(real.archivedAt(), Optional.ofNullable(archivedAt[st]));
        for (Handle h : handles) {
            if (h.store() == st) {
                same(h.memories().store().archivedAt(), Optional.ofNullable(archivedAt[st]));
            }
        }
    }

    void openSession(StatefulModelOps.OpenSession op) {
        log.add("open session " + op.attachments() + (op.bySlug() ? " mounted by slug" : " mounted by store id"));
        List<AttachmentSpec> specs = op.attachments().stream().map(a -> a.readOnly()
                ? AttachmentSpec.readOnly(storeIds[a.store()]) : AttachmentSpec.readWrite(storeIds[a.store()]))
                .toList();
        Outcome<Session> real = real(() -> workspace.sessions().create(specs));
        Outcome<Boolean> model = model(() -> {
            if (op.attachments().stream().map(StatefulModelOps.Attach::store).distinct().count()
                    < op.attachments().size()) {
                throw StatefulModelFailure.of(InvalidArgumentException.class, "session.duplicate_store");
            }
            for (StatefulModelOps.Attach a : op.attachments()) {
                if (models[a.store()].archived) {
                    throw StatefulModelFailure.of(ArchivedException.class, a.store());
                }
            }
            return true;
        });
        if (bothSucceeded("openSession", real, model)) {
            addSessionHandles(real.value(), op.attachments(), op.bySlug());
        }
    }

    private void addSessionHandles(Session s, List<StatefulModelOps.Attach> attachments, boolean bySlug) {
        int n = ++sessions;
        Actor actor = Actor.session(s.id());
        actors.add(actor);
        for (StatefulModelOps.Attach a : attachments) {
            String slug = a.store() == 0 ? "alpha-notes" : "beta";
            Memories m = bySlug ? s.mount(slug) : s.mount(storeIds[a.store()]);
            same(m.storeId(), storeIds[a.store()]);
            same(m.access(), a.readOnly() ? Access.READ_ONLY : Access.READ_WRITE);
            same(m.actor(), actor);
            handles.add(new Handle("session" + n + "/" + slug + (a.readOnly() ? "(ro)" : "(rw)"), a.store(), m,
                    a.readOnly(), actor));
        }
    }

    /** After every operation: both stores, their memories and all their versions, agree with the model. */
    /** Checks that both stores' hash chains verify, whichever service wrote each link. */
    void checkChains() {
        for (StoreId id : storeIds) {
            var broken = workspace.stores().verify(id).broken();
            if (broken.isPresent()) {
                throw new AssertionError("the hash chain of " + id + " does not verify: " + broken.get() + "; "
                        + context());
            }
        }
    }

    void checkEverything() {
        for (int st = 0; st < 2; st++) {
            StatefulModelStore s = models[st];
            Memories m = handles.get(st).memories();
            same(m.store().isArchived(), s.archived);
            Page<ListEntry> all = m.list(ListQuery.builder().limit(100).includeContent(true).build());
            same(all.hasMore(), false);
            int store = st;
            same(all.items().stream().map(this::entryView).toList(),
                    s.memories().stream().map(x -> (Object) view(store, x, true)).toList());
            List<Object> versions = new ArrayList<>();
            VersionQuery q = VersionQuery.builder().limit(100).includeContent(true).build();
            Page<MemoryVersion> page = m.versions(q);
            versions.addAll(page.items().stream().map(this::view).toList());
            while (page.nextCursor().isPresent()) {
                page = m.versions(q.page(page.nextCursor().get()));
                versions.addAll(page.items().stream().map(this::view).toList());
            }
            List<Ver> expected = new ArrayList<>(s.versions());
            java.util.Collections.reverse(expected);
            same(versions, expected.stream().map(v -> (Object) view(store, v, true)).toList());
        }
    }

    // ------------------------------------------------------------------ cursors

    private String listStartCursor(CursorSpec spec) {
        return switch (spec.kind()) {
            case NONE -> null;
            case POOLED -> {
                ListCursor c = pick(listCursors, spec.k());
                yield c == null ? null : c.cursor();
            }
            case FOREIGN -> {
                VersionCursor c = pick(versionCursors, spec.k());
                yield c == null ? pick(StatefulModelOps.BAD_CURSORS, spec.k()) : c.cursor();
            }
            case MALFORMED -> pick(StatefulModelOps.BAD_CURSORS, spec.k());
        };
    }

    /** For a pooled cursor with an even index: the pooled listing itself, continued later. */
    private static <T> T continued(CursorSpec spec, List<T> pool) {
        return spec.kind() == CursorKind.POOLED && spec.k() % 2 == 0 ? pick(pool, spec.k()) : null;
    }

    private String versionStartCursor(CursorSpec spec) {
        return switch (spec.kind()) {
            case NONE -> null;
            case POOLED -> {
                VersionCursor c = pick(versionCursors, spec.k());
                yield c == null ? null : c.cursor();
            }
            case FOREIGN -> {
                ListCursor c = pick(listCursors, spec.k());
                yield c == null ? pick(StatefulModelOps.BAD_CURSORS, spec.k()) : c.cursor();
            }
            case MALFORMED -> pick(StatefulModelOps.BAD_CURSORS, spec.k());
        };
    }

    /** The key a memory-list cursor continues after, or the failure the model expects for it. */
    private String listCursorKey(String cursor, int store, String prefix, int depth) {
        for (ListCursor c : listCursors) {
            if (c.cursor().equals(cursor)) {
                if (c.store() == store && c.prefix() != null && c.prefix().equals(prefix) && c.depth() == depth) {
                    return c.lastKey();
                }
                throw StatefulModelFailure.of(InvalidArgumentException.class, "cursor.mismatch");
            }
        }
        for (VersionCursor c : versionCursors) {
            if (c.cursor().equals(cursor)) {
                throw StatefulModelFailure.of(InvalidArgumentException.class, "cursor.mismatch");
            }
        }
        throw StatefulModelFailure.of(InvalidArgumentException.class, "cursor.malformed");
    }

    private String versionCursorKey(String cursor, int store, VFilter filter) {
        for (VersionCursor c : versionCursors) {
            if (c.cursor().equals(cursor)) {
                if (c.store() == store && c.filter().equals(filter)) {
                    return c.lastVid();
                }
                throw StatefulModelFailure.of(InvalidArgumentException.class, "cursor.mismatch");
            }
        }
        for (ListCursor c : listCursors) {
            if (c.cursor().equals(cursor)) {
                throw StatefulModelFailure.of(InvalidArgumentException.class, "cursor.mismatch");
            }
        }
        throw StatefulModelFailure.of(InvalidArgumentException.class, "cursor.malformed");
    }

    private void rememberListCursor(ListCursor c) {
        if (listCursors.size() >= 24) {
            listCursors.remove(0);
        }
        listCursors.add(c);
    }

    private void rememberVersionCursor(VersionCursor c) {
        if (versionCursors.size() >= 24) {
            versionCursors.remove(0);
        }
        versionCursors.add(c);
    }

    private static String normalizedPrefixOrNull(String prefix) {
        try {
            return StatefulModelRules.prefix(prefix, MAX_PATH_BYTES, MAX_PATH_SEGMENTS);
        } catch (StatefulModelFailure f) {
            return null;
        }
    }

    private static int indexOf(List<Ver> all, String vid) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(vid)) {
                return i;
            }
        }
        throw new AssertionError("a version cursor names version " + vid + ", which the model does not have");
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 100) {
            throw StatefulModelFailure.of(InvalidArgumentException.class, "page.limit");
        }
    }

    private static List<PageView> pages(List<Object> items, int limit) {
        List<PageView> pages = new ArrayList<>();
        int i = 0;
        do {
            int end = Math.min(items.size(), i + limit);
            pages.add(new PageView(List.copyOf(items.subList(i, end)), end < items.size()));
            i = end;
        } while (i < items.size());
        return pages;
    }

    // ------------------------------------------------------------------ ids, views and failures

    private void bindMemoryId(String model, MemoryId real) {
        if (!memIds.containsKey(model)) {
            // A new memory: ids sort by creation time within a store.
            int store = storeOfModelMemory(model);
            MemoryId previous = lastMemoryId[store];
            assertThat(previous == null || real.compareTo(previous) > 0)
                    .as(() -> "memory id " + real + " of new memory " + model + " sorts after " + previous + "; "
                            + context()).isTrue();
            lastMemoryId[store] = real;
        }
        MemoryId had = memIds.putIfAbsent(model, real);
        String name = memNames.putIfAbsent(real, model);
        assertThat(had == null ? real : had).as(() -> "memory id of " + model + "; " + context()).isEqualTo(real);
        assertThat(name == null ? model : name).as(() -> "model id of " + real + "; " + context()).isEqualTo(model);
    }

    private void bindVersion(String model, VersionId real, Instant createdAt) {
        VersionId had = verIds.putIfAbsent(model, real);
        String name = verNames.putIfAbsent(real, model);
        assertThat(had == null ? real : had).as(() -> "version id of " + model + "; " + context()).isEqualTo(real);
        assertThat(name == null ? model : name).as(() -> "model id of " + real + "; " + context()).isEqualTo(model);
        Instant t = verTimes.putIfAbsent(model, createdAt);
        assertThat(t == null ? createdAt : t).as(() -> "time of version " + model + "; " + context())
                .isEqualTo(createdAt);
    }

    private void bindMemory(Mem model, Memory real) {
        bindMemoryId(model.id(), real.id());
        bindVersion(model.headVid(), real.headVersionId(), real.updatedAt());
    }

    private int storeOfModelMemory(String model) {
        return models[0].createdIds().contains(model) ? 0 : 1;
    }

    private String memName(MemoryId id) {
        return memNames.getOrDefault(id, UNBOUND);
    }

    private String verName(VersionId id) {
        return verNames.getOrDefault(id, UNBOUND);
    }

    private int storeIndex(StoreId id) {
        return id.equals(storeIds[0]) ? 0 : id.equals(storeIds[1]) ? 1 : -1;
    }

    private MemView view(Memory m) {
        return new MemView(memName(m.id()), storeIndex(m.storeId()), m.path(), m.content(), m.contentSha256(),
                m.contentSizeBytes(), verName(m.headVersionId()), m.createdAt(), m.updatedAt());
    }

    private MemView view(int store, Mem m, boolean withContent) {
        return new MemView(memIds.containsKey(m.id()) ? m.id() : UNBOUND, store, m.path(),
                withContent ? Optional.of(m.content()) : Optional.empty(), StatefulModelRules.sha256(m.content()),
                StatefulModelRules.size(m.content()), verIds.containsKey(m.headVid()) ? m.headVid() : UNBOUND,
                verTimes.get(m.createdVid()), verTimes.get(m.headVid()));
    }

    private Object entryView(ListEntry e) {
        return e instanceof Memory m ? view(m) : e;
    }

    private VerView view(MemoryVersion v) {
        return new VerView(verName(v.id()), storeIndex(v.storeId()), memName(v.memoryId()), v.operation().name(),
                v.path(), v.content(), v.contentSha256(), v.contentSizeBytes(), v.createdBy(), v.createdAt(),
                v.redactedAt(), v.redactedBy());
    }

    private VerView view(int store, Ver v, boolean withContent) {
        boolean hasContent = v.content() != null;
        return new VerView(verIds.containsKey(v.id()) ? v.id() : UNBOUND, store,
                memIds.containsKey(v.memId()) ? v.memId() : UNBOUND, v.op().name(), Optional.ofNullable(v.path()),
                withContent && hasContent ? Optional.of(v.content()) : Optional.empty(),
                hasContent ? Optional.of(StatefulModelRules.sha256(v.content())) : Optional.empty(),
                hasContent ? Optional.of(StatefulModelRules.size(v.content())) : Optional.empty(), v.by(),
                verTimes.get(v.id()), v.isRedacted() ? Optional.ofNullable(redactTimes.get(v.id())) : Optional.empty(),
                Optional.ofNullable(v.redactedBy()));
    }

    /** A real failure in the model's terms: exception class and key fields, ids named by model ids. */
    private StatefulModelFailure.Shape shapeOf(MemoryException e) {
        List<Object> fields;
        if (e instanceof PathConflictException p) {
            fields = List.of(p.path(), p.conflictingMemoryId().map(this::memName).orElse("none"),
                    p.conflictingPath().orElse("none"));
        } else if (e instanceof PreconditionFailedException p) {
            fields = List.of(memName(p.memoryId()), p.expectedSha256(), p.currentSha256(),
                    verName(p.currentVersionId()));
        } else if (e instanceof LimitExceededException l) {
            fields = List.of(l.limit(), l.value(), l.maximum());
        } else if (e instanceof InvalidArgumentException i) {
            fields = List.of(i.rule());
        } else if (e instanceof ArchivedException a) {
            fields = List.of(storeIndex(a.storeId()));
        } else {
            fields = List.of();
        }
        return new StatefulModelFailure.Shape(e.getClass(), fields);
    }

    /** A model failure with ids the real side has never seen (staged inside a failed batch) made comparable. */
    private StatefulModelFailure.Shape normalize(StatefulModelFailure.Shape s) {
        List<Object> f = new ArrayList<>(s.fields());
        if (s.type() == PathConflictException.class) {
            f.set(1, memIds.containsKey((String) f.get(1)) ? f.get(1) : UNBOUND);
        } else if (s.type() == PreconditionFailedException.class) {
            f.set(0, memIds.containsKey((String) f.get(0)) ? f.get(0) : UNBOUND);
            f.set(3, verIds.containsKey((String) f.get(3)) ? f.get(3) : UNBOUND);
        }
        return new StatefulModelFailure.Shape(s.type(), List.copyOf(f));
    }

    private static String show(String s) {
        return StatefulModelOps.escape(s);
    }
}
