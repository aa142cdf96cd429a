package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.Session;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.VersionQuery;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quotes, SQL metacharacters, NUL, control, format and non-BMP characters in every string field, and values at
 * exactly the size limits and one byte over, on SQLite and PostgreSQL: each is either stored and read back verbatim
 * (through a second backend on the same database, so no cache answers) or refused with the library's error, exactly as
 * the in-memory backend does with the same calls.
 */
class BadInputTest {

    /** Text that SQL, JDBC, JSON or the databases' text types treat specially. */
    static final List<String> SPECIAL = List.of(
            "'", "\"", "`", "''", "\\", "\\'", "\\\\", ";", "--", "/*", "*/", "/* c */", "%", "_", "%_%", "?",
            "$1", "$$", "$tag$", "{fn now()}", "{d '2020-01-01'}", "'; DROP TABLE am_store; --",
            "\" OR 1=1 --", "') OR ('1'='1", "\\x00", "E'\\\\'", "{\"a\":1}", "]}", "\u0000", "a\u0000b",
            "\u0001", "\u001b[31m", "\u007f", "\u0085", "\u200b", "\u202e", "\ufeff", "\n", "\t", "\r\n",
            "\uD83D\uDE00", "\uDBFF\uDFFF", "\uFFFF", "\uFFFD", "\uD800", "\uDC00x", "caf\u00e9", "\u4e2d\u6587",
            "\u05e2\u05d1", "';DROP/**/TABLE/**/am_version;--", "'OR'1'='1");

    private static final String WS = "ws_bad";

    // ================================================================ running a scenario on two backends

    /** A database under test: opens any number of {@link AgentMemory} instances on the same data. */
    private interface Database extends AutoCloseable {
        AgentMemory open();

        @Override
        void close();
    }

    private static Database database(String dialect) {
        if (dialect.equals("sqlite")) {
            SqliteFixture fixture = new SqliteFixture();
            java.nio.file.Path file = fixture.nextFile();
            return new Database() {
                @Override
                public AgentMemory open() {
                    return AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build();
                }

                @Override
                public void close() {
                    fixture.close();
                }
            };
        }
        PostgresFixture fixture = new PostgresFixture();
        String url = fixture.newSchemaUrl();
        return new Database() {
            @Override
            public AgentMemory open() {
                return AgentMemory.builder().backend(JdbcBackend.postgres(url, "postgres", "")).build();
            }

            @Override
            public void close() {
                fixture.close();
            }
        };
    }

    /**
     * Runs a scenario on the in-memory backend and on the database (writing through one backend, reading back
     * through another), and checks both outcome lists are equal, that nothing failed with a storage error, and
     * returns the database's outcomes.
     */
    private static List<String> compare(String dialect, BiFunction<AgentMemory, AgentMemory, List<String>> scenario) {
        List<String> expected;
        try (AgentMemory reference = AgentMemory.inMemory()) {
            expected = scenario.apply(reference, reference);
        }
        List<String> actual;
        try (Database db = database(dialect); AgentMemory writer = db.open(); AgentMemory reader = db.open()) {
            actual = scenario.apply(writer, reader);
        }
        assertThat(actual).as("outcomes on " + dialect + " vs. the in-memory backend")
                .containsExactlyElementsOf(expected);
        assertThat(actual).noneMatch(o -> o.contains("StorageException")).noneMatch(o -> o.contains("CHANGED"));
        return actual;
    }

    /** Runs an action and describes its outcome: what it returned, or the exception's kind, rule and limit. */
    private static String attempt(String label, Supplier<String> action) {
        try {
            return label + " -> " + action.get();
        } catch (InvalidArgumentException e) {
            return label + " -> InvalidArgument " + e.rule();
        } catch (LimitExceededException e) {
            return label + " -> LimitExceeded " + e.limit() + " " + e.value() + "/" + e.maximum();
        } catch (StorageException e) {
            return label + " -> StorageException " + e.getMessage();
        } catch (MemoryException e) {
            return label + " -> " + e.getClass().getSimpleName() + " " + e.code();
        }
    }

    /** "verbatim" if the value read back equals the one written, else what changed. */
    private static String same(Object written, Object read) {
        return written.equals(read) ? "verbatim" : "CHANGED to " + show(String.valueOf(read));
    }

    /** Shows text with everything outside printable ASCII escaped. */
    static String show(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch >= 0x20 && ch < 0x7f) {
                b.append(ch);
            } else {
                b.append(String.format("\\u%04X", (int) ch));
            }
        }
        return b.length() > 80 ? b.substring(0, 40) + "...(" + s.length() + " chars)..." + b.substring(b.length() - 30)
                : b.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every path of a store, in listing order, through all pages. */
    private static List<String> allPaths(Memories m, String prefix, int depth) {
        List<String> out = new ArrayList<>();
        ListQuery q = ListQuery.under(prefix).depth(depth).limit(7).build();
        while (true) {
            Page<ListEntry> page = m.list(q);
            page.items().forEach(e -> out.add(e.path()));
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            q = q.page(page.nextCursor().get());
        }
    }

    /** Every store of a workspace's listing, through all pages. */
    private static List<MemoryStore> allStores(Workspace w) {
        List<MemoryStore> out = new ArrayList<>();
        StoreQuery q = StoreQuery.builder().limit(100).build();
        while (true) {
            Page<MemoryStore> page = w.stores().list(q);
            out.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            q = StoreQuery.builder().limit(100).cursor(page.nextCursor().get()).build();
        }
    }

    /** Reads a memory back through the reader and checks every field that came from the caller. */
    private static String readBack(Memories reader, Memory written, String path, String content) {
        Memory byId = reader.get(written.id());
        Memory byPath = reader.getByPath(path);
        MemoryVersion head = reader.version(byId.headVersionId());
        String sha = sha256(content);
        long size = content.getBytes(StandardCharsets.UTF_8).length;
        List<String> problems = new ArrayList<>();
        if (!byId.path().equals(path) || !byPath.id().equals(written.id())) {
            problems.add("path " + same(path, byId.path()));
        }
        if (!byId.text().equals(content) || !byPath.text().equals(content)) {
            problems.add("content " + same(content, byId.text()));
        }
        if (!head.content().equals(Optional.of(content)) || !head.path().equals(Optional.of(path))) {
            problems.add("version " + same(content, head.content().orElse("<none>")));
        }
        if (!byId.contentSha256().equals(sha) || byId.contentSizeBytes() != size) {
            problems.add("sha/size CHANGED " + byId.contentSha256() + "/" + byId.contentSizeBytes());
        }
        return problems.isEmpty() ? "verbatim" : String.join("; ", problems);
    }

    // ================================================================ every string field

    private static List<String> everyField(AgentMemory writer, AgentMemory reader) {
        List<String> out = new ArrayList<>();
        Workspace w = writer.workspace(WS);
        Workspace r = reader.workspace(WS);
        MemoryStore base = w.stores().create(NewStore.named("base").build());
        Memories m = w.memories(base.id(), Actor.user("writer"));
        Memories rm = r.memories(base.id(), Actor.user("reader"));
        for (int i = 0; i < SPECIAL.size(); i++) {
            String s = SPECIAL.get(i);
            String tag = "#" + i + " " + show(s) + " ";
            int n = i;

            out.add(attempt(tag + "store name", () -> {
                MemoryStore st = w.stores().create(NewStore.named("n" + s).build());
                return same("n" + s, r.stores().get(st.id()).name());
            }));
            out.add(attempt(tag + "store description", () -> {
                MemoryStore st = w.stores().create(NewStore.named("d").description("d" + s + "d").build());
                return same("d" + s + "d", r.stores().get(st.id()).description());
            }));
            out.add(attempt(tag + "metadata key", () -> {
                MemoryStore st = w.stores().create(NewStore.named("k").metadata("k" + s, "v").build());
                return same(Map.of("k" + s, "v"), r.stores().get(st.id()).metadata());
            }));
            out.add(attempt(tag + "metadata value", () -> {
                MemoryStore st = w.stores().create(NewStore.named("v").metadata("k", s).build());
                return same(Map.of("k", s), r.stores().get(st.id()).metadata());
            }));
            out.add(attempt(tag + "store update", () -> {
                MemoryStore st = w.stores().create(NewStore.named("u").metadata("keep", "x").build());
                w.stores().update(st.id(), StoreUpdate.builder().name("u" + s).description(s)
                        .putMetadata("m" + s, s + "m").build());
                MemoryStore got = r.stores().get(st.id());
                return same(List.of("u" + s, s, Map.of("keep", "x", "m" + s, s + "m")),
                        List.of(got.name(), got.description(), got.metadata()));
            }));
            out.add(attempt(tag + "attachment instructions", () -> {
                Session session = w.sessions().create(
                        List.of(AttachmentSpec.readWrite(base.id()).withInstructions("i" + s + "i")));
                return same("i" + s + "i", r.sessions().get(session.id()).attachments().get(0).instructions());
            }));
            out.add(attempt(tag + "attached store snapshot", () -> {
                MemoryStore st = w.stores().create(NewStore.named("S" + s + "S").description("D" + s).build());
                Session session = w.sessions().create(List.of(AttachmentSpec.readOnly(st.id()).withInstructions(s)));
                Attachment a = r.sessions().get(session.id()).attachments().get(0);
                return same(List.of("S" + s + "S", "D" + s, s), List.of(a.storeName(), a.storeDescription(),
                        a.instructions())) + " slug=" + a.slug() + " mount=" + show(a.mountPath());
            }));
            out.add(attempt(tag + "path inside a segment", () -> {
                String path = "/p" + n + "/x" + s + "y.md";
                Memory mem = m.create(path, "c");
                return readBack(rm, mem, path, "c") + " listed=" + allPaths(rm, "/p" + n + "/", 0).equals(
                        List.of(path));
            }));
            out.add(attempt(tag + "path segment", () -> {
                String path = "/q" + n + "/" + s;
                Memory mem = m.create(path, "c");
                return readBack(rm, mem, path, "c");
            }));
            out.add(attempt(tag + "content", () -> {
                String content = "c" + s + "c";
                Memory mem = m.create("/c/" + n, content);
                return readBack(rm, mem, "/c/" + n, content);
            }));
            out.add(attempt(tag + "content alone, by update", () -> {
                Memory mem = m.create("/u/" + n, "first");
                Memory up = m.update(mem.id(), MemoryUpdate.content(s));
                return readBack(rm, up, "/u/" + n, s) + " versions="
                        + rm.versions(VersionQuery.ofMemory(mem.id()).build()).items().size();
            }));
            out.add(attempt(tag + "rename", () -> {
                Memory mem = m.create("/rn/" + n, "renamed");
                String path = "/rn/" + n + "-" + s + ".md";
                Memory up = m.update(mem.id(), MemoryUpdate.path(path));
                return readBack(rm, up, path, "renamed");
            }));
            out.add(attempt(tag + "move", () -> {
                m.create("/mv" + n + "/a" + s + "/f.md", "moved");
                List<Memory> moved = m.move("/mv" + n + "/a" + s + "/", "/mv" + n + "/b" + s + "/");
                String path = "/mv" + n + "/b" + s + "/f.md";
                return moved.size() + " " + readBack(rm, moved.get(0), path, "moved") + " old="
                        + rm.findByPath("/mv" + n + "/a" + s + "/f.md").isPresent();
            }));
            for (String type : List.of("user", "apiKey", "serviceAccount")) {
                out.add(attempt(tag + type + " actor id", () -> {
                    String id = type + s;
                    Actor actor = switch (type) {
                        case "user" -> Actor.user(id);
                        case "apiKey" -> Actor.apiKey(id);
                        default -> Actor.serviceAccount(id);
                    };
                    Memories as = w.memories(base.id(), actor);
                    Memory mem = as.create("/actor/" + type + n, "by " + type);
                    m.update(mem.id(), MemoryUpdate.content("then by writer"));
                    w.stores().redact(base.id(), mem.headVersionId(), actor);
                    List<MemoryVersion> theirs = rm.versions(VersionQuery.builder().actor(actor).build()).items();
                    MemoryVersion v = rm.version(mem.headVersionId());
                    return same(List.of(1, actor, Optional.of(actor)),
                            List.of(theirs.size(), theirs.get(0).createdBy(), v.redactedBy()));
                }));
            }
            out.add(attempt(tag + "workspace id", () -> {
                Workspace ws = writer.workspace("ws" + s);
                MemoryStore st = ws.stores().create(NewStore.named("in ws").build());
                List<StoreId> listed = reader.workspace("ws" + s).stores().list(StoreQuery.firstPage()).items()
                        .stream().map(MemoryStore::id).toList();
                return same(List.of(st.id()), listed) + " elsewhere="
                        + reader.workspace("ws").stores().list(StoreQuery.firstPage()).items().size();
            }));
        }
        // Everything written, in listing order (code point order, whatever the characters).
        out.add("all paths: " + show(String.join("|", allPaths(rm, "/", 0))));
        out.add("top level: " + show(String.join("|", allPaths(rm, "/", 1))));
        out.add("stores: " + allStores(r).size());
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void specialCharactersInEveryStringFieldAreStoredVerbatimOrRefusedAsInMemory(String dialect) {
        List<String> outcomes = compare(dialect, BadInputTest::everyField);
        // Not a vacuous comparison: these are stored everywhere they are allowed, and refused where they are not.
        assertThat(outcomes).contains(
                "#0 ' store name -> verbatim",
                "#21 '; DROP TABLE am_store; -- content -> verbatim",
                "#12 % path inside a segment -> verbatim listed=true",
                "#28 \\u0000 content -> verbatim",
                "#28 \\u0000 content alone, by update -> verbatim versions=2",
                "#28 \\u0000 store name -> InvalidArgument store.name",
                "#28 \\u0000 path segment -> InvalidArgument path.control_character",
                "#40 \\uD83D\\uDE00 metadata key -> verbatim",
                "#41 \\uDBFF\\uDFFF path segment -> verbatim",
                "#44 \\uD800 content -> InvalidArgument content.utf8");
        assertThat(outcomes.stream().filter(o -> o.endsWith("-> verbatim")).count()).isGreaterThan(300);
    }

    // ================================================================ values at the limits

    private static List<String> sizes(AgentMemory writer, AgentMemory reader) {
        List<String> out = new ArrayList<>();
        Workspace w = writer.workspace(WS);
        MemoryStore store = w.stores().create(NewStore.named("sizes").build());
        MemoryStore small = w.stores().create(NewStore.named("small").contentLimitBytes(10).build());
        Memories m = w.memories(store.id(), Actor.user("writer"));
        Memories rm = reader.workspace(WS).memories(store.id(), Actor.user("reader"));
        Memories ms = w.memories(small.id(), Actor.user("writer"));
        Memories rms = reader.workspace(WS).memories(small.id(), Actor.user("reader"));
        int limit = 102_400;
        List<String[]> contents = new ArrayList<>();
        for (int over = 0; over <= 1; over++) {
            int total = limit + over;
            contents.add(new String[] {total + " ascii", "a".repeat(total)});
            contents.add(new String[] {total + " 2-byte end", "a".repeat(total - 2) + "\u00e9"});
            contents.add(new String[] {total + " 3-byte end", "a".repeat(total - 3) + "\u20ac"});
            contents.add(new String[] {total + " 4-byte end", "a".repeat(total - 4) + "\uD83D\uDE00"});
            contents.add(new String[] {total + " NUL", "\u0000".repeat(total)});
            contents.add(new String[] {total + " quotes", "'\"`\\;%_-".repeat(total / 8) + "'".repeat(total % 8)});
            String emoji = "\uD83D\uDE00".repeat(total / 4) + "a".repeat(total % 4);
            contents.add(new String[] {total + " emoji", emoji});
        }
        contents.add(new String[] {(limit + 1) + " over by a 4-byte character", "a".repeat(limit - 3) + "\uD83D\uDE00"});
        for (int i = 0; i < contents.size(); i++) {
            String label = contents.get(i)[0];
            String content = contents.get(i)[1];
            int n = i;
            out.add(attempt("create " + label, () -> {
                Memory mem = m.create("/size/" + n, content);
                return readBack(rm, mem, "/size/" + n, content) + " " + mem.contentSizeBytes();
            }));
            out.add(attempt("update " + label, () -> {
                Memory mem = m.create("/grow/" + n, "small");
                Memory up = m.update(mem.id(), MemoryUpdate.content(content));
                return readBack(rm, up, "/grow/" + n, content) + " " + up.contentSizeBytes();
            }));
        }
        for (String content : List.of("0123456789", "01234567\u00e9", "0123456\u20ac", "012345\uD83D\uDE00",
                "0123456789a", "012345678\u00e9", "0123456\uD83D\uDE00", "\u0000".repeat(11))) {
            out.add(attempt("store limit 10: " + show(content), () -> {
                Memory mem = ms.create("/" + sha256(content).substring(0, 8), content);
                return readBack(rms, mem, mem.path(), content);
            }));
        }

        List<String[]> paths = new ArrayList<>();
        paths.add(new String[] {"1024 bytes ascii", "/" + "a".repeat(1023)});
        paths.add(new String[] {"1025 bytes ascii", "/" + "b".repeat(1024)});
        paths.add(new String[] {"1024 bytes, 4-byte end", "/" + "c".repeat(1019) + "\uD83D\uDE00"});
        paths.add(new String[] {"1025 bytes, 4-byte end", "/" + "d".repeat(1020) + "\uD83D\uDE00"});
        paths.add(new String[] {"1024 bytes, 2-byte chars", "/e" + "\u00e9".repeat(511)});
        paths.add(new String[] {"1025 bytes, 2-byte chars", "/ff" + "\u00e9".repeat(511)});
        paths.add(new String[] {"1024 bytes, 3-byte chars", "/g" + "\u4e2d".repeat(340) + "xy"});
        paths.add(new String[] {"1025 bytes, 3-byte chars", "/h" + "\u4e2d".repeat(341)});
        paths.add(new String[] {"32 segments", "/s32" + "/a".repeat(31)});
        paths.add(new String[] {"33 segments", "/s33" + "/a".repeat(32)});
        paths.add(new String[] {"32 segments of 1024 bytes", ("/" + "q'%_\\\"".repeat(5) + "z").repeat(32)});
        paths.add(new String[] {"33 segments of 1023 bytes", ("/" + "r".repeat(30)).repeat(33)});
        for (String[] p : paths) {
            String label = p[0];
            String path = p[1];
            out.add(attempt("path " + label + " (" + path.getBytes(StandardCharsets.UTF_8).length + ")", () -> {
                Memory mem = m.create(path, label);
                return readBack(rm, mem, path, label) + " listed="
                        + allPaths(rm, "/", 0).contains(path);
            }));
            out.add(attempt("rename to " + label, () -> {
                Memory mem = m.create("/to-rename/" + label.replace(' ', '-'), "x");
                Memory up = m.update(mem.id(), MemoryUpdate.path(path + "-2"));
                return readBack(rm, up, path + "-2", "x");
            }));
        }
        out.add("all paths: " + show(String.join("|", allPaths(rm, "/", 0))));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void contentsAndPathsAtTheLimitAreStoredAndOneByteOverAreRefusedAsInMemory(String dialect) {
        List<String> outcomes = compare(dialect, BadInputTest::sizes);
        assertThat(outcomes).contains(
                "create 102400 ascii -> verbatim 102400",
                "create 102401 ascii -> LimitExceeded content_size_bytes 102401/102400",
                "update 102400 4-byte end -> verbatim 102400",
                "update 102401 4-byte end -> LimitExceeded content_size_bytes 102401/102400",
                "create 102400 NUL -> verbatim 102400",
                "update 102401 NUL -> LimitExceeded content_size_bytes 102401/102400",
                "create 102401 over by a 4-byte character -> LimitExceeded content_size_bytes 102401/102400",
                "store limit 10: 012345\\uD83D\\uDE00 -> verbatim",
                "store limit 10: 0123456\\uD83D\\uDE00 -> LimitExceeded content_size_bytes 11/10",
                "path 1024 bytes, 4-byte end (1024) -> verbatim listed=true",
                "path 1025 bytes, 4-byte end (1025) -> LimitExceeded path_bytes 1025/1024",
                "path 1024 bytes, 3-byte chars (1024) -> verbatim listed=true",
                "path 1025 bytes, 3-byte chars (1025) -> LimitExceeded path_bytes 1025/1024",
                "path 32 segments (66) -> verbatim listed=true",
                "path 33 segments (68) -> LimitExceeded path_segments 33/32",
                "path 32 segments of 1024 bytes (1024) -> verbatim listed=true",
                "path 33 segments of 1023 bytes (1023) -> LimitExceeded path_segments 33/32");
        long checked = 0;
        for (String o : outcomes) {
            if (o.startsWith("create ") || o.startsWith("update ")) {
                int bytes = Integer.parseInt(o.replaceAll("^(create|update) (\\d+) .*", "$2"));
                assertThat(o).as("stored iff within the limit")
                        .endsWith(bytes <= 102_400 ? "-> verbatim " + bytes
                                : "-> LimitExceeded content_size_bytes " + bytes + "/102400");
                checked++;
            }
        }
        assertThat(checked).isEqualTo(30);
    }

    // ================================================================ wildcards match only themselves

    private static List<String> wildcards(AgentMemory writer, AgentMemory reader) {
        List<String> out = new ArrayList<>();
        Workspace w = writer.workspace(WS);
        MemoryStore store = w.stores().create(NewStore.named("like").build());
        Memories m = w.memories(store.id(), Actor.user("writer"));
        Memories rm = reader.workspace(WS).memories(store.id(), Actor.user("reader"));
        List<String> dirs = List.of("w%", "w_", "wx", "wa", "w\\", "w%x", "w", "w'", "w''", "w*", "w[a]", "w.", "w0");
        for (String d : dirs) {
            m.create("/" + d + "/a.md", d);
            m.create("/" + d + "/" + d + "/b.md", d);
        }
        for (String d : dirs) {
            out.add(attempt("list under /" + d + "/", () -> show(String.join("|", allPaths(rm, "/" + d + "/", 0)))
                    + " exact=" + allPaths(rm, "/" + d + "/", 0).equals(List.of("/" + d + "/a.md",
                    "/" + d + "/" + d + "/b.md"))));
            out.add(attempt("children of /" + d + "/", () -> String.join("|", allPaths(rm, "/" + d + "/", 1))));
            out.add(attempt("find /" + d + "/a.md", () -> rm.getByPath("/" + d + "/a.md").text()));
        }
        out.add(attempt("find /w%/b.md", () -> String.valueOf(rm.findByPath("/w%/b.md").isPresent())));
        out.add(attempt("find /w_/a", () -> String.valueOf(rm.findByPath("/w_/a").isPresent())));
        for (String id : List.of("u%", "u_", "ux", "u\\", "u'", "u%%")) {
            w.memories(store.id(), Actor.user(id)).create("/by/" + id.replace('\\', 'B'), id);
        }
        for (String id : List.of("u%", "u_", "ux", "u\\", "u'", "u%%")) {
            out.add(attempt("versions by " + id, () -> String.join("|", rm.versions(VersionQuery.builder()
                    .actor(Actor.user(id)).build()).items().stream().map(v -> v.path().orElse("?")).toList())));
        }
        out.add(attempt("versions by u", () -> String.valueOf(rm.versions(VersionQuery.builder()
                .actor(Actor.user("u")).build()).items().size())));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void wildcardsInPrefixesPathsAndActorIdsMatchOnlyThemselves(String dialect) {
        List<String> outcomes = compare(dialect, BadInputTest::wildcards);
        assertThat(outcomes).contains(
                "list under /w%/ -> /w%/a.md|/w%/w%/b.md exact=true",
                "list under /w_/ -> /w_/a.md|/w_/w_/b.md exact=true",
                "list under /w\\/ -> /w\\/a.md|/w\\/w\\/b.md exact=true",
                "children of /w%/ -> /w%/a.md|/w%/w%/",
                "find /w_/a -> false",
                "versions by u% -> /by/u%",
                "versions by u_ -> /by/u_",
                "versions by u -> 0");
        assertThat(outcomes.stream().filter(o -> o.contains("exact=true")).count()).isEqualTo(13);
    }
}
