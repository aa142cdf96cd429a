package dev.agentmemory.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryPrefix;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.VersionQuery;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks that the benchmarks measure what they claim: exact sizes, real writes, no no-op updates; for the JDBC
 * benchmarks, that the raw side issues the library's statements and writes what the library would, and that the
 * stores read have the promised shape. The JDBC checks run on SQLite, and on PostgreSQL too when
 * {@code AGENT_MEMORY_PG_URL} is set.
 */
class BenchmarksTest {

    @ParameterizedTest
    @ValueSource(ints = {16, 1024, 4097, 102400})
    void textsHaveTheExactUtf8SizeAndNonAsciiCharacters(int size) {
        for (int variant = 0; variant < 3; variant++) {
            String text = Texts.of(size, variant);
            assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(size);
            if (size >= 1024) {
                assertThat(text.chars().anyMatch(c -> c > 0x7F)).as("has non-ASCII").isTrue();
                assertThat(text.codePoints().anyMatch(Character::isSupplementaryCodePoint))
                        .as("has a surrogate pair").isTrue();
            }
        }
        assertThat(Texts.of(size, 1)).isNotEqualTo(Texts.of(size, 2));
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 102400})
    void thePolicyBenchmarksContentIsAllowedAndChainThenCreateWrites(int size) {
        PolicyBenchmark b = new PolicyBenchmark();
        b.sizeBytes = size;
        b.makeContent();
        b.openStore();
        assertThat(b.chain()).isEqualTo(dev.agentmemory.policy.Verdict.allow());
        Memory m = b.chainThenCreate();
        assertThat(m.contentSizeBytes()).isEqualTo(size);
        assertThat(b.create().path()).isNotEqualTo(m.path());
        b.closeStore();
    }

    @Test
    void createMakesANewMemoryPerCallAndTheFloorPutsAsManyKeys() {
        CreateBenchmark b = new CreateBenchmark();
        b.sizeBytes = 1024;
        b.makeContent();
        b.openStore();
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < 150; i++) {
            Memory m = b.create();
            assertThat(m.contentSizeBytes()).isEqualTo(1024);
            paths.add(m.path());
        }
        assertThat(paths).hasSize(150);
        Bench.Stored first = b.floor();
        assertThat(first.sha256()).hasSize(32);
        b.closeStore();
    }

    @Test
    void everyUpdateMakesAVersionAndAlternatesTheContent() {
        UpdateBenchmark b = new UpdateBenchmark();
        b.sizeBytes = 1024;
        b.makeContent();
        b.openStore();
        Memory one = b.update();
        Memory two = b.update();
        Memory three = b.update();
        assertThat(one.contentSha256()).isNotEqualTo(two.contentSha256());
        assertThat(three.contentSha256()).isEqualTo(one.contentSha256());
        assertThat(List.of(one, two, three)).extracting(Memory::headVersionId).doesNotHaveDuplicates();
        Bench.Stored f1 = b.floor();
        Bench.Stored f2 = b.floor();
        assertThat(f1.content()).isNotEqualTo(f2.content());
        b.closeStore();
    }

    @Test
    void theChainedFloorsHashTheContentAgainAndChainEachVersionOntoTheLast() {
        CreateBenchmark c = new CreateBenchmark();
        c.sizeBytes = 1024;
        c.makeContent();
        c.openStore();
        Bench.ChainedStored a = c.chainedFloor();
        Bench.ChainedStored b = c.chainedFloor();
        assertThat(a.sha256()).isEqualTo(b.sha256()).hasSize(32);
        // the leaf is salted (and covers the path): never the bare content's digest, never the same twice
        assertThat(a.leaf()).hasSize(32).isNotEqualTo(a.sha256()).isNotEqualTo(b.leaf());
        assertThat(a.link()).hasSize(32).isNotEqualTo(b.link());
        c.closeStore();
        UpdateBenchmark u = new UpdateBenchmark();
        u.sizeBytes = 1024;
        u.makeContent();
        u.openStore();
        Bench.ChainedStored u1 = u.chainedFloor();
        Bench.ChainedStored u2 = u.chainedFloor();
        Bench.ChainedStored u3 = u.chainedFloor();
        assertThat(u1.content()).isNotEqualTo(u2.content()).isEqualTo(u3.content());
        assertThat(u1.sha256()).isEqualTo(u3.sha256());
        assertThat(u1.leaf()).isNotEqualTo(u3.leaf());
        assertThat(List.of(u1.link(), u2.link(), u3.link())).doesNotHaveDuplicates();
        u.closeStore();
    }

    @Test
    void updatesAreNotNoOps() {
        UpdateBenchmark b = new UpdateBenchmark();
        b.sizeBytes = 2048;
        b.makeContent();
        b.openStore();
        Memory last = null;
        for (int i = 0; i < 5; i++) {
            last = b.update();
        }
        List<MemoryVersion> versions = b.store.memories()
                .versions(VersionQuery.ofMemory(last.id()).limit(100).build()).items();
        assertThat(versions).hasSize(6);
        b.closeStore();
    }

    @Test
    void readsFindTheMemoriesTheFloorHolds() {
        ReadBenchmark.Data d = new ReadBenchmark.Data();
        d.sizeBytes = 1024;
        d.fill();
        ReadBenchmark byId = new ReadBenchmark();
        ReadBenchmark byPath = new ReadBenchmark();
        ReadBenchmark floor = new ReadBenchmark();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ReadBenchmark.COUNT + 3; i++) {
            Memory m1 = byId.get(d);
            Memory m2 = byPath.getByPath(d);
            Bench.Stored f = floor.floor(d);
            assertThat(m1).isEqualTo(m2);
            assertThat(f.content()).isEqualTo(m2.text());
            assertThat(Texts.utf8Length(m1.text())).isEqualTo(1024);
            seen.add(m1.path());
        }
        assertThat(seen).hasSize(ReadBenchmark.COUNT);
        d.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"inmemory", "sqlite"})
    void checkoutSyncSeesEveryFileAndFindsNothingToDo(String backend) throws Exception {
        CheckoutSyncBenchmark b = new CheckoutSyncBenchmark();
        b.backend = backend;
        b.files = 1200;
        b.setUp();
        try {
            assertThat(b.walkBaseline()).isEqualTo(1200);
            assertThat(b.sync().isEmpty()).isTrue();
        } finally {
            b.tearDown();
        }
    }

    // ---------------------------------------------------------------- JDBC

    static List<String> dialects() {
        List<String> out = new ArrayList<>(List.of("sqlite"));
        String url = System.getenv(JdbcBench.PG_URL_ENV);
        if (url != null && !url.isBlank()) {
            out.add("postgresql");
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void theWriteFloorsWriteAVersionAndMoveTheHeadAndTheLibraryWritesToo(String dialect) throws Exception {
        JdbcWriteBenchmark b = new JdbcWriteBenchmark();
        b.dialect = dialect;
        b.open(); // writes once through each floor
        try {
            Memory one = b.update();
            Memory two = b.update();
            assertThat(one.contentSha256()).isNotEqualTo(two.contentSha256());
            assertThat(one.headVersionId()).isNotEqualTo(two.headVersionId());
            String v2 = b.floor();
            String v3 = b.floor();
            String h2 = b.upsert();
            String o2 = b.floorOneStatement();
            String o3 = b.floorOneStatement();
            String x2 = b.floorIndexed();
            String x3 = b.floorIndexed();
            try (Connection c = b.raw.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + JdbcWriteBenchmark.FLOOR1_VERSION)) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(3);
                }
                try (ResultSet rs = s.executeQuery("SELECT h.version_id, v.content, v.sha256 FROM "
                        + JdbcWriteBenchmark.FLOOR1_HEAD + " h JOIN " + JdbcWriteBenchmark.FLOOR1_VERSION
                        + " v ON v.id = h.version_id")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(o3).isNotEqualTo(o2);
                    byte[] content = rs.getBytes(2);
                    assertThat(content).hasSize(JdbcWriteBenchmark.SIZE_BYTES);
                    assertThat(rs.getString(3)).isEqualTo(HexFormat.of().formatHex(Bench.sha256().digest(content)));
                    assertThat(rs.next()).isFalse();
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + JdbcWriteBenchmark.FLOOR_VERSION)) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(3);
                }
                try (ResultSet rs = s.executeQuery("SELECT h.version_id, v.content, v.sha256 FROM "
                        + JdbcWriteBenchmark.FLOOR_HEAD + " h JOIN " + JdbcWriteBenchmark.FLOOR_VERSION
                        + " v ON v.id = h.version_id")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(v3).isNotEqualTo(v2);
                    byte[] content = rs.getBytes(2);
                    assertThat(content).hasSize(JdbcWriteBenchmark.SIZE_BYTES);
                    assertThat(rs.getString(3)).isEqualTo(HexFormat.of().formatHex(Bench.sha256().digest(content)));
                    assertThat(rs.next()).isFalse();
                }
                try (ResultSet rs = s.executeQuery("SELECT h.version_id, v.content, v.sha256, v.position, st.seq FROM "
                        + JdbcWriteBenchmark.FLOORX_HEAD + " h JOIN " + JdbcWriteBenchmark.FLOORX_VERSION
                        + " v ON v.store = h.store AND v.id = h.version_id JOIN " + JdbcWriteBenchmark.FLOORX_STORE
                        + " st ON st.id = h.store")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(x3).isNotEqualTo(x2);
                    byte[] content = rs.getBytes(2);
                    assertThat(content).hasSize(JdbcWriteBenchmark.SIZE_BYTES);
                    assertThat(rs.getString(3)).isEqualTo(HexFormat.of().formatHex(Bench.sha256().digest(content)));
                    assertThat(rs.getLong(4)).isEqualTo(3).isEqualTo(rs.getLong(5));
                    assertThat(rs.next()).isFalse();
                }
                try (ResultSet rs = s.executeQuery("SELECT value FROM " + JdbcWriteBenchmark.FLOOR_KV)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(HexFormat.of().formatHex(Bench.sha256().digest(rs.getBytes(1)))).isEqualTo(h2);
                    assertThat(rs.next()).isFalse();
                }
            }
            Memories m = b.lib.memories();
            List<MemoryVersion> versions = m.versions(VersionQuery.ofMemory(two.id()).limit(10)
                    .includeContent(true).build()).items();
            assertThat(versions).hasSize(3);
            assertThat(versions.get(0).content()).contains(two.text());
            assertThat(versions.get(0).operation()).isEqualTo(Operation.MODIFIED);
        } finally {
            b.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void concurrentWritersLoseNothingAndTheCheckSeesALostWrite(String dialect) throws Exception {
        for (String layout : List.of("shared", "own")) {
            ConcurrentWriteBenchmark.Shared s = new ConcurrentWriteBenchmark.Shared();
            s.dialect = dialect;
            s.layout = layout;
            s.open();
            ConcurrentWriteBenchmark b = new ConcurrentWriteBenchmark();
            List<ConcurrentWriteBenchmark.Writer> writers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ConcurrentWriteBenchmark.Writer w = new ConcurrentWriteBenchmark.Writer();
                w.take(s);
                writers.add(w);
            }
            Thread[] threads = new Thread[writers.size()];
            for (int i = 0; i < threads.length; i++) {
                ConcurrentWriteBenchmark.Writer w = writers.get(i);
                threads[i] = new Thread(() -> {
                    for (int k = 0; k < 20; k++) {
                        b.update(w);
                    }
                });
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            s.close(); // throws if a write was lost or a writer made none
        }
        // The check can fail: a counted write that never happened is reported.
        ConcurrentWriteBenchmark.Shared s = new ConcurrentWriteBenchmark.Shared();
        s.dialect = dialect;
        s.layout = "shared";
        s.open();
        ConcurrentWriteBenchmark.Writer w = new ConcurrentWriteBenchmark.Writer();
        w.take(s);
        new ConcurrentWriteBenchmark().update(w);
        s.countForTest(0);
        assertThatThrownBy(s::close).hasMessageContaining("lost");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void rawReadsReturnWhatTheLibraryReturns(String dialect) throws Exception {
        JdbcReadBenchmark.Data d = new JdbcReadBenchmark.Data();
        d.dialect = dialect;
        d.sizeBytes = 1024;
        d.fill();
        try {
            JdbcReadBenchmark lib = new JdbcReadBenchmark();
            JdbcReadBenchmark raw = new JdbcReadBenchmark();
            JdbcReadBenchmark meta = new JdbcReadBenchmark();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < JdbcReadBenchmark.COUNT + 1; i++) {
                Memory m = lib.get(d);
                assertThat(raw.raw(d)).isEqualTo(m.text());
                assertThat(meta.rawMetadata(d)).isEqualTo(m.headVersionId().value());
                assertThat(Texts.utf8Length(m.text())).isEqualTo(1024);
                seen.add(m.path());
            }
            assertThat(seen).hasSize(JdbcReadBenchmark.COUNT);
        } finally {
            d.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void theSmallStoreHasTheShapeOfEachDirectoryOfTheLargeOne(String dialect) {
        LargeStoreBenchmark.Data d = new LargeStoreBenchmark.Data();
        d.dialect = dialect;
        d.store = "small";
        d.open();
        try {
            LargeStoreBenchmark b = new LargeStoreBenchmark();
            Page<ListEntry> list = b.listPage(d);
            assertThat(list.items()).hasSize(91);
            assertThat(list.items().get(0)).isEqualTo(new MemoryPrefix(LargeStoreBenchmark.DIR + "archive/"));
            assertThat(list.nextCursor()).isEmpty();
            List<MemoryVersion> mine = b.memoryVersionPage(d).items();
            assertThat(mine).hasSize(LargeStoreBenchmark.VERSIONS).allMatch(v -> v.memoryId().equals(d.target));
            assertThat(mine.get(mine.size() - 1).operation()).isEqualTo(Operation.CREATED);
            Page<MemoryVersion> all = b.storeVersionPage(d);
            assertThat(all.items()).hasSize(100);
            assertThat(all.nextCursor()).isPresent();
            Set<String> paths = new HashSet<>();
            for (int i = 0; i < LargeStoreBenchmark.PER_DIR; i++) {
                Memory m = b.getByPath(d);
                assertThat(m.path()).startsWith(LargeStoreBenchmark.DIR);
                paths.add(m.path());
            }
            assertThat(paths).hasSize(LargeStoreBenchmark.PER_DIR);
        } finally {
            d.close();
        }
    }

    @Test
    void theLargeStoreBuildGivesEveryMemoryItsVersionsAndItsNewestAsHead() {
        try (JdbcBench.Db db = JdbcBench.fresh("sqlite", "buildtest")) {
            JdbcBackend backend = db.backend();
            try (AgentMemory am = AgentMemory.builder().backend(backend).limits(Bench.LIMITS).build()) {
                var ws = am.workspace("bench");
                MemoryStore s = ws.stores().create(NewStore.named("t").build());
                LargeStoreBenchmark.build(backend, s.id(), new int[] {3, 7}, true);
                Memories m = ws.memories(s.id(), JdbcBench.ACTOR);
                assertThat(backend.countMemories(s.id())).isEqualTo(2L * LargeStoreBenchmark.PER_DIR);
                for (String path : List.of(LargeStoreBenchmark.path(3, 0), LargeStoreBenchmark.path(7, 95))) {
                    Memory mem = m.getByPath(path);
                    List<MemoryVersion> vs = new ArrayList<>();
                    VersionQuery q = VersionQuery.ofMemory(mem.id()).limit(100).includeContent(true).build();
                    vs.addAll(m.versions(q).items());
                    assertThat(vs).hasSize(LargeStoreBenchmark.VERSIONS);
                    assertThat(vs.get(0).id()).isEqualTo(mem.headVersionId());
                    assertThat(vs.get(0).content()).contains(mem.text());
                    assertThat(vs.get(0).contentSha256()).contains(mem.contentSha256());
                    assertThat(vs.get(vs.size() - 1).createdAt()).isEqualTo(mem.createdAt());
                }
                assertThat(m.list(ListQuery.under("/projects/p007/").depth(1).limit(100)
                        .build()).items()).hasSize(91);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "h2", "h2-durable"})
    void theEngineBenchmarkWritesAVersionAndMovesTheHeadEachCall(String engine) throws Exception {
        EngineWriteBenchmark b = new EngineWriteBenchmark();
        b.engine = engine;
        b.open();
        try {
            for (int i = 1; i <= 3; i++) {
                assertThat(b.writeVersion()).isEqualTo(i);
            }
            try (java.sql.Connection c = b.pool().getConnection(); java.sql.Statement s = c.createStatement()) {
                try (java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM version")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                }
                try (java.sql.ResultSet rs = s.executeQuery("SELECT head, LENGTH(content) FROM memory")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("memver_3");
                    assertThat(rs.getInt(2)).isEqualTo(1024);
                }
            }
        } finally {
            b.close();
        }
    }
}
