package dev.agentmemory.testkit;

import dev.agentmemory.model.Operation;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The operations of the stateful model test as plain data, and their generators. An operation names its targets
 * by kind and index ("the k-th live memory of the handle's store", "an ancestor of an existing path"); the
 * {@link StatefulModelWorld} resolves them against the model when the operation runs, so that a shrunk sequence
 * still makes sense. The path alphabet is small on purpose: collisions and prefix conflicts are frequent.
 */
final class StatefulModelOps {

    private StatefulModelOps() {
    }

    /** Segments of generated paths: a few short names, a dot before '/', and characters outside the BMP. */
    static final List<String> SEGMENTS = List.of("a", "b", "c", "a.md", "\u00e9", "\uD834\uDD1E", "\uFFEE");

    /** Paths that break a rule, in NFC variants, or hit the path limits (16 bytes, 3 segments). */
    static final List<String> RAW_PATHS = List.of(
            "", "a", "a/b", "/", "//", "/a/", "/a//b", "/./a", "/a/..", "/a/.", "/a\u0007", "/\u200Bb", "/b\u202E",
            "/\uD800", "/a\uDC00", "/a/\uDB40\uDC01", "rel\u0007", "/aaaaaaaaaaaaaaaa", "/a/b/a/b",
            "/\uD834\uDD1E/\uD834\uDD1E/\uD834\uDD1E/\uD834\uDD1E", "/e\u0301", "/a/e\u0301", "/a\u0000",
            "/b/a.md/\u00e9");

    /** Directory prefixes that break a rule or need normalizing. */
    static final List<String> RAW_PREFIXES = List.of(
            "/a", "a/", "", "//", "/a//", "/./", "/../", "/\u0007/", "/e\u0301/", "/a/b/a/b/", "/a\u200B/",
            "/aaaaaaaaaaaaaaaa/", "/\uD800/");

    /** Literal contents: empty, ASCII, multi-byte, line breaks. */
    static final List<String> CONTENTS = List.of("", "x", "hello", "hello world", "\u00e9\u20ac\uD834\uDD1E",
            "line\nbreak", "tab\tnul\u0000");

    /** Malformed page cursors. */
    static final List<String> BAD_CURSORS = List.of("garbage", "page_!!!", "");

    /** A string in quotes with control, format and lone surrogate characters escaped, for reports. */
    static String escape(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE) {
                b.append(String.format("\\u%04X", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.append('"').toString();
    }

    // ------------------------------------------------------------------ selectors

    /** A handle: any of them, or only the writable ones. */
    record HandleSel(boolean writableOnly, int k) {
    }

    /** A path to use. */
    sealed interface PathSpec permits Fresh, Existing, Ancestor, Below, Raw {
    }

    /** A path made of generated segments. */
    record Fresh(List<String> segments) implements PathSpec {
    }

    /** The path of an existing memory. */
    record Existing(int k) implements PathSpec {
    }

    /** A directory of an existing memory, as a path. */
    record Ancestor(int k) implements PathSpec {
    }

    /** A path below an existing memory. */
    record Below(int k, String segment) implements PathSpec {
    }

    /** A given, often invalid, string. */
    record Raw(String raw) implements PathSpec {
        @Override
        public String toString() {
            return "Raw[" + escape(raw) + "]";
        }
    }

    /** A directory prefix to use. */
    sealed interface PrefixSpec permits Root, DirOf, FreshDir, RawPrefix {
    }

    /** The root, {@code /}. */
    record Root() implements PrefixSpec {
    }

    /**
     * A directory of an existing memory; when {@code k % 4 == 3}, an existing memory's path with '/' appended.
     */
    record DirOf(int k) implements PrefixSpec {
    }

    /** A directory made of generated segments. */
    record FreshDir(List<String> segments) implements PrefixSpec {
    }

    /** A given, often invalid, string. */
    record RawPrefix(String raw) implements PrefixSpec {
        @Override
        public String toString() {
            return "RawPrefix[" + escape(raw) + "]";
        }
    }

    /** The destination of a directory move. */
    sealed interface ToSpec permits SameAsFrom, InsideFrom, ParentOfFrom, ToPrefix {
    }

    /** The source prefix itself. */
    record SameAsFrom() implements ToSpec {
    }

    /** A directory inside the source. */
    record InsideFrom(String segment) implements ToSpec {
    }

    /** The source's parent directory. */
    record ParentOfFrom() implements ToSpec {
    }

    /** Any prefix. */
    record ToPrefix(PrefixSpec prefix) implements ToSpec {
    }

    /** Kinds of content. */
    enum ContentKind { LITERAL, SAME, STALE, AT_LIMIT, OVER_LIMIT, OVER_LIMIT_MULTIBYTE, UNPAIRED_SURROGATE }

    /** A content to write. */
    record ContentSpec(ContentKind kind, int k) {
    }

    /** Kinds of precondition. */
    enum ShaKind { NONE, RIGHT, WRONG, STALE, UPPERCASE, SHORT }

    /** A precondition. */
    record ShaSpec(ShaKind kind, int k) {
    }

    /** Kinds of memory id. */
    enum IdKind { LIVE, DELETED, OTHER_STORE, FAKE }

    /** A memory id to use. */
    record IdSpec(IdKind kind, int k) {
    }

    /** Kinds of page cursor to start a listing with. */
    enum CursorKind { NONE, POOLED, FOREIGN, MALFORMED }

    /** The cursor a listing starts from; later pages follow the returned cursors. */
    record CursorSpec(CursorKind kind, int k) {
    }

    /** Kinds of version id. */
    enum VersionKind { THIS_STORE, OTHER_STORE, FAKE }

    /** A version id to use. */
    record VersionSel(VersionKind kind, int k) {
    }

    /** Kinds of version filter. */
    enum FilterKind { ALL, MEMORY, ACTOR, OPERATION, CREATED_AFTER, CREATED_BEFORE }

    /**
     * A version listing's filter: {@code k} picks the actor, or the version whose creation time bounds the range.
     */
    record VersionFilterSpec(FilterKind kind, IdSpec memory, int k, Operation operation) {
    }

    /** One change of a batch. */
    sealed interface ChangeSpec permits CreateChange, UpdateChange, DeleteChange {
    }

    /** A create in a batch. */
    record CreateChange(PathSpec path, ContentSpec content) implements ChangeSpec {
    }

    /**
     * An update in a batch; path and content may be null (both null breaks the update.empty rule).
     */
    record UpdateChange(IdSpec id, PathSpec path, ContentSpec content, ShaSpec sha) implements ChangeSpec {
    }

    /** A delete in a batch. */
    record DeleteChange(IdSpec id, ShaSpec sha) implements ChangeSpec {
    }

    /** One store attached to a new session. */
    record Attach(int store, boolean readOnly) {
    }

    // ------------------------------------------------------------------ operations

    /** An operation, run on the real service and on the model by the world. */
    sealed interface Op permits Create, Get, GetByPath, ListMemories, Update, Delete, Move, ApplyBatch,
            ListVersions, GetVersion, Redact, Archive, OpenSession {
        void run(StatefulModelWorld w);
    }

    /** Creates a memory. */
    record Create(HandleSel h, PathSpec path, ContentSpec content) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.create(this);
        }
    }

    /** Gets a memory by id. */
    record Get(HandleSel h, IdSpec id) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.get(this);
        }
    }

    /** Gets a memory by path ({@code getByPath}, or {@code findByPath} when {@code find}). */
    record GetByPath(HandleSel h, PathSpec path, boolean find) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.getByPath(this);
        }
    }

    /** Lists memories, walking every page. */
    record ListMemories(HandleSel h, PrefixSpec prefix, int depth, int limit, boolean content, CursorSpec cursor)
            implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.list(this);
        }
    }

    /** Updates a memory; path or content may be null. */
    record Update(HandleSel h, IdSpec id, PathSpec path, ContentSpec content, ShaSpec sha) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.update(this);
        }
    }

    /** Deletes a memory. */
    record Delete(HandleSel h, IdSpec id, ShaSpec sha) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.delete(this);
        }
    }

    /** Moves a directory. */
    record Move(HandleSel h, PrefixSpec from, ToSpec to) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.move(this);
        }
    }

    /** Applies a batch. */
    record ApplyBatch(HandleSel h, List<ChangeSpec> changes) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.batch(this);
        }
    }

    /** Lists versions, walking every page. */
    record ListVersions(HandleSel h, VersionFilterSpec filter, int limit, boolean content, CursorSpec cursor)
            implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.versions(this);
        }
    }

    /** Gets a version by id. */
    record GetVersion(HandleSel h, VersionSel version) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.version(this);
        }
    }

    /** Redacts a version through the store administration. */
    record Redact(int store, VersionSel version, boolean byUser) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.redact(this);
        }
    }

    /** Archives a store ({@code store} < 0: re-archives an archived one). */
    record Archive(int store) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.archive(this);
        }
    }

    /** Opens a session with some attachments and adds its mounts to the handles. */
    record OpenSession(List<Attach> attachments, boolean bySlug) implements Op {
        @Override
        public void run(StatefulModelWorld w) {
            w.openSession(this);
        }
    }

    // ------------------------------------------------------------------ generators

    private static Arbitrary<Integer> index() {
        return Arbitraries.integers().between(0, 999);
    }

    static Arbitrary<HandleSel> handles() {
        return Combinators.combine(Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)), index())
                .as(HandleSel::new);
    }

    static Arbitrary<String> segment() {
        return Arbitraries.frequency(Tuple.of(5, "a"), Tuple.of(4, "b"), Tuple.of(3, "c"), Tuple.of(2, "a.md"),
                Tuple.of(2, "\u00e9"),
                Tuple.of(1, "\uD834\uDD1E"), Tuple.of(1, "\uFFEE"));
    }

    static Arbitrary<List<String>> segments() {
        return Arbitraries.frequencyOf(Tuple.of(35, segment().list().ofSize(1)), Tuple.of(40, segment().list()
                .ofSize(2)), Tuple.of(20, segment().list().ofSize(3)), Tuple.of(5, segment().list().ofSize(4)));
    }

    static Arbitrary<PathSpec> paths() {
        return Arbitraries.frequencyOf(
                Tuple.of(14, segments().map(Fresh::new)),
                Tuple.of(4, index().map(Existing::new)),
                Tuple.of(3, index().map(Ancestor::new)),
                Tuple.of(3, Combinators.combine(index(), segment()).as(Below::new)),
                Tuple.of(2, Arbitraries.of(RAW_PATHS).map(Raw::new)));
    }

    static Arbitrary<PrefixSpec> prefixes() {
        return prefixes(3);
    }

    static Arbitrary<PrefixSpec> prefixes(int rootWeight) {
        return Arbitraries.frequencyOf(
                Tuple.of(rootWeight, Arbitraries.just(new Root())),
                Tuple.of(6, index().map(DirOf::new)),
                Tuple.of(3, segments().map(s -> s.subList(0, Math.min(2, s.size()))).map(FreshDir::new)),
                Tuple.of(1, Arbitraries.of(RAW_PREFIXES).map(RawPrefix::new)));
    }

    static Arbitrary<ContentSpec> contents() {
        return Combinators.combine(Arbitraries.frequency(
                Tuple.of(12, ContentKind.LITERAL), Tuple.of(4, ContentKind.SAME), Tuple.of(2, ContentKind.STALE),
                Tuple.of(1, ContentKind.AT_LIMIT), Tuple.of(1, ContentKind.OVER_LIMIT),
                Tuple.of(1, ContentKind.OVER_LIMIT_MULTIBYTE), Tuple.of(1, ContentKind.UNPAIRED_SURROGATE)), index())
                .as(ContentSpec::new);
    }

    static Arbitrary<ShaSpec> shas() {
        return Combinators.combine(Arbitraries.frequency(
                Tuple.of(6, ShaKind.NONE), Tuple.of(6, ShaKind.RIGHT), Tuple.of(3, ShaKind.WRONG),
                Tuple.of(2, ShaKind.STALE), Tuple.of(1, ShaKind.UPPERCASE), Tuple.of(1, ShaKind.SHORT)), index())
                .as(ShaSpec::new);
    }

    static Arbitrary<IdSpec> ids() {
        return Combinators.combine(Arbitraries.frequency(
                Tuple.of(14, IdKind.LIVE), Tuple.of(3, IdKind.DELETED), Tuple.of(1, IdKind.OTHER_STORE),
                Tuple.of(1, IdKind.FAKE)), index()).as(IdSpec::new);
    }

    static Arbitrary<CursorSpec> cursors() {
        return Combinators.combine(Arbitraries.frequency(
                Tuple.of(12, CursorKind.NONE), Tuple.of(5, CursorKind.POOLED), Tuple.of(1, CursorKind.FOREIGN),
                Tuple.of(1, CursorKind.MALFORMED)), index()).as(CursorSpec::new);
    }

    static Arbitrary<Integer> pageSizes() {
        return Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.integers().between(1, 3)),
                Tuple.of(2, Arbitraries.just(100)), Tuple.of(1, Arbitraries.of(0, -1, 101)));
    }

    static Arbitrary<VersionSel> versionSels() {
        return Combinators.combine(Arbitraries.frequency(Tuple.of(12, VersionKind.THIS_STORE),
                Tuple.of(1, VersionKind.OTHER_STORE), Tuple.of(1, VersionKind.FAKE)), index()).as(VersionSel::new);
    }

    static Arbitrary<Op> create() {
        return Combinators.combine(handles(), paths(), contents()).as(Create::new);
    }

    static Arbitrary<Op> get() {
        return Combinators.combine(handles().map(h -> new HandleSel(false, h.k())), ids()).as(Get::new);
    }

    static Arbitrary<Op> getByPath() {
        return Combinators.combine(handles().map(h -> new HandleSel(false, h.k())), paths(),
                Arbitraries.of(true, false)).as(GetByPath::new);
    }

    static Arbitrary<Op> list() {
        return Combinators.combine(handles().map(h -> new HandleSel(false, h.k())), prefixes(6),
                Arbitraries.frequency(Tuple.of(10, 0), Tuple.of(10, 1), Tuple.of(1, 2), Tuple.of(1, -1)),
                pageSizes(), Arbitraries.of(true, false), cursors()).as(ListMemories::new);
    }

    static Arbitrary<Op> update() {
        return Combinators.combine(handles(), ids(), paths().injectNull(0.6), contents().injectNull(0.35), shas())
                .as(Update::new);
    }

    static Arbitrary<Op> delete() {
        return Combinators.combine(handles(), ids(), shas()).as(Delete::new);
    }

    static Arbitrary<Op> move() {
        Arbitrary<ToSpec> to = Arbitraries.frequencyOf(
                Tuple.of(8, prefixes(1).map(ToPrefix::new)), Tuple.of(1, Arbitraries.just(new SameAsFrom())),
                Tuple.of(1, segment().map(InsideFrom::new)), Tuple.of(2, Arbitraries.just(new ParentOfFrom())));
        return Combinators.combine(handles(), prefixes(1), to).as(Move::new);
    }

    static Arbitrary<Op> batch() {
        Arbitrary<ChangeSpec> change = Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(paths(), contents()).as(CreateChange::new)),
                Tuple.of(3, Combinators.combine(ids(), paths().injectNull(0.6), contents().injectNull(0.3), shas())
                        .as(UpdateChange::new)),
                Tuple.of(2, Combinators.combine(ids(), shas()).as(DeleteChange::new)));
        Arbitrary<List<ChangeSpec>> changes = Arbitraries.frequencyOf(Tuple.of(30, change.list().ofMinSize(1)
                .ofMaxSize(4)), Tuple.of(1, Arbitraries.just(List.of())));
        return Combinators.combine(handles(), changes).as(ApplyBatch::new);
    }

    static Arbitrary<Op> versions() {
        Arbitrary<VersionFilterSpec> filter = Combinators.combine(Arbitraries.frequency(Tuple.of(3, FilterKind.ALL),
                Tuple.of(4, FilterKind.MEMORY), Tuple.of(1, FilterKind.ACTOR), Tuple.of(1, FilterKind.OPERATION),
                Tuple.of(1, FilterKind.CREATED_AFTER), Tuple.of(1, FilterKind.CREATED_BEFORE)),
                ids(), index(), Arbitraries.of(Operation.class)).as(VersionFilterSpec::new);
        return Combinators.combine(handles().map(h -> new HandleSel(false, h.k())), filter, pageSizes(),
                Arbitraries.of(true, false), cursors()).as(ListVersions::new);
    }

    static Arbitrary<Op> version() {
        return Combinators.combine(handles().map(h -> new HandleSel(false, h.k())), versionSels())
                .as(GetVersion::new);
    }

    static Arbitrary<Op> redact() {
        return Combinators.combine(Arbitraries.of(0, 1), versionSels(), Arbitraries.of(true, false)).as(Redact::new);
    }

    static Arbitrary<Op> archive() {
        return Arbitraries.of(0, 1).map(Archive::new);
    }

    static Arbitrary<Op> rearchive() {
        return Arbitraries.just(new Archive(-1));
    }

    static Arbitrary<Op> openSession() {
        Arbitrary<Attach> attach = Combinators.combine(Arbitraries.of(0, 1), Arbitraries.of(true, false))
                .as(Attach::new);
        return Combinators.combine(attach.list().ofMinSize(1).ofMaxSize(2), Arbitraries.of(true, false))
                .as(OpenSession::new);
    }
}
