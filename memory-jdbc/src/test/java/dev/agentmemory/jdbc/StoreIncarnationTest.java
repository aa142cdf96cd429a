package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Workspace;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreUpdate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write never applies on an earlier incarnation of a store, across backends on one database (two processes): the
 * other deletes a store and imports it again with its id, and writes on until the store's sequence is at least the one
 * this backend's last commit left, which this service and this backend's caches remember. And the schema version
 * that makes this so (the sequence floor) upgrades a database made by the version before it with nothing lost.
 */
class StoreIncarnationTest {

    private static final String WS = "ws_incarnation";
    private static final Actor WRITER = Actor.user("writer");

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** Where a test's database is: a SQLite file, or a PostgreSQL schema's URL. */
    private String location(boolean sqlite) {
        if (sqlite) {
            SqliteFixture f = new SqliteFixture();
            cleanup.add(f::close);
            return f.nextFile().toString();
        }
        PostgresFixture f = new PostgresFixture();
        cleanup.add(f::close);
        return f.newSchemaUrl();
    }

    private static AgentMemory open(boolean sqlite, String location) {
        return AgentMemory.builder().backend(sqlite ? JdbcBackend.sqlite(Path.of(location))
                : JdbcBackend.postgres(location, "postgres", "")).build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aWriteOfOneProcessNeverAppliesOnTheStoreAnotherDeletedAndImportedAgain(String dialect) {
        boolean sqlite = dialect.equals("sqlite");
        String location = location(sqlite);
        try (AgentMemory mineAm = open(sqlite, location); AgentMemory theirsAm = open(sqlite, location)) {
            Workspace first = mineAm.workspace(WS);
            Workspace second = theirsAm.workspace(WS);
            MemoryStore s = first.stores().create(NewStore.named("Shared").build());
            Memories mine = first.memories(s.id(), WRITER);
            Memory a = mine.create("/a.md", "one");
            ByteArrayOutputStream exported = new ByteArrayOutputStream();
            first.stores().exportStore(s.id(), exported);
            for (int i = 2; i <= 6; i++) {
                mine.update(a.id(), MemoryUpdate.content("v" + i));
            }
            long myLast = mine.revision();

            second.stores().delete(s.id());
            second.stores().importStore(new ByteArrayInputStream(exported.toByteArray()));
            Memories theirs = second.memories(s.id(), WRITER);
            theirs.delete(a.id());
            second.stores().update(s.id(), StoreUpdate.builder().name("Renamed").build());
            Memory pad = null;
            while (theirs.revision() < myLast) { // one commit a turn, so that it stops exactly at myLast if it can
                if (pad == null) {
                    pad = theirs.create("/pad.md", "x");
                } else {
                    theirs.delete(pad.id());
                    pad = null;
                }
            }

            // a rename: its commit is the plain compare-and-set of the sequence on every database (a content update
            // on PostgreSQL also checks the memory's head in its one statement)
            assertThatThrownBy(() -> mine.update(a.id(), MemoryUpdate.path("/stale.md")))
                    .isInstanceOf(NotFoundException.class);
            assertThat(theirs.findByPath("/stale.md")).isEmpty();
            assertThat(theirs.findByPath("/a.md")).isEmpty();
            Memory b = mine.create("/b.md", "after");
            assertThat(theirs.getByPath("/b.md").id()).isEqualTo(b.id());
            assertThat(mine.store().name()).as("the store row this backend keeps is the new store's").isEqualTo(
                    "Renamed");
            assertThat(first.stores().verify(s.id()).intact()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aVersionSixDatabaseUpgradesWithNothingLostAndItsStoresStartPastTheirDeletedOnes(String dialect)
            throws Exception {
        boolean sqlite = dialect.equals("sqlite");
        String location = location(sqlite);
        String url = sqlite ? "jdbc:sqlite:" + location : location;
        MemoryStore kept;
        MemoryStore gone;
        Memory keptMemory;
        long keptRevision;
        try (AgentMemory am = open(sqlite, location)) {
            Workspace w = am.workspace(WS);
            kept = w.stores().create(NewStore.named("kept").build());
            gone = w.stores().create(NewStore.named("gone").build());
            Memories m = w.memories(kept.id(), WRITER);
            keptMemory = m.update(m.create("/k.md", "k1").id(), MemoryUpdate.content("k2"));
            keptRevision = m.revision();
        }

        // ---- back to the version 6 state: no sequence floor, and its history
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("DROP TABLE am_sequence_floor");
            assertThat(st.executeUpdate("DELETE FROM agent_memory_schema_history WHERE version = 7")).isEqualTo(1);
        }

        // ---- opened by this library: upgraded, nothing lost, and a store created again starts past its deleted one
        try (AgentMemory am = open(sqlite, location)) {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT next_sequence FROM am_sequence_floor")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
            Workspace w = am.workspace(WS);
            Memories m = w.memories(kept.id(), WRITER);
            assertThat(m.revision()).isEqualTo(keptRevision);
            assertThat(m.get(keptMemory.id())).isEqualTo(keptMemory);
            assertThat(w.stores().get(gone.id())).isEqualTo(gone);

            ByteArrayOutputStream exported = new ByteArrayOutputStream();
            w.stores().exportStore(kept.id(), exported);
            w.stores().delete(kept.id());
            w.stores().importStore(new ByteArrayInputStream(exported.toByteArray()));
            assertThat(m.revision()).isGreaterThan(keptRevision);
            assertThat(m.get(keptMemory.id()).text()).isEqualTo("k2");
            assertThat(w.stores().verify(kept.id()).intact()).isTrue();
        }
    }
}
