package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upgrading a database made by schema version 5 to version 6, which keeps the index of redaction positions for
 * redacted versions only. Version 6 changes nothing but that index, so the rows of a version 5 database are the rows
 * this library writes: the test writes a history (creates, updates, a rename, a delete, redactions) through the
 * library, puts the database back in its version 5 state (version 5's index and history), and opens it again. The
 * upgrade then leaves every version and content as it was, the chain verifies with every redaction link found through
 * the new index, and the history keeps growing and verifying after it.
 */
class VersionIndexUpgradeTest {

    private static final String WS = "ws_v6";
    private static final Actor ADMIN = Actor.user("admin");

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aVersionFiveDatabaseUpgradesWithEveryVersionIntactAndItsChainVerifying(String dialect) throws Exception {
        boolean sqlite = dialect.equals("sqlite");
        String location;
        if (sqlite) {
            SqliteFixture f = new SqliteFixture();
            cleanup.add(f::close);
            location = f.nextFile().toString();
        } else {
            PostgresFixture f = new PostgresFixture();
            cleanup.add(f::close);
            location = f.newSchemaUrl();
        }
        String url = sqlite ? "jdbc:sqlite:" + location : location;

        MemoryStore store;
        List<MemoryVersion> before;
        ChainReport chainBefore;
        try (AgentMemory am = open(sqlite, location)) {
            StoreAdmin stores = am.workspace(WS).stores();
            store = stores.create(NewStore.named("v6").build());
            Memories m = am.workspace(WS).memories(store.id(), Actor.user("writer"));
            Memory a = m.create("/notes/a.md", "alpha");
            Memory b = m.create("/notes/b.md", "secret one");
            for (int i = 0; i < 20; i++) {
                a = m.update(a.id(), MemoryUpdate.content("alpha " + i + " \u00e9\u4e2d"));
            }
            Memory secret = m.update(b.id(), MemoryUpdate.content("secret two"));
            b = m.update(b.id(), MemoryUpdate.content("public"));
            m.update(a.id(), MemoryUpdate.path("/notes/renamed.md"));
            Memory c = m.create("/notes/c.md", "gone");
            m.delete(c.id());
            stores.redact(store.id(), secret.headVersionId(), ADMIN);
            before = all(m);
            chainBefore = stores.verify(store.id());
            assertThat(chainBefore.intact()).as(chainBefore.toString()).isTrue();
            assertThat(before).anyMatch(MemoryVersion::isRedacted);
        }

        // ---- back to the version 5 state: its index of redaction positions, and its history
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertThat(redactionIndex(c, sqlite)).containsIgnoringCase("WHERE");
            s.execute("DROP INDEX am_version_by_redaction");
            s.execute("CREATE INDEX am_version_by_redaction ON am_version (store_id, redaction_pos)");
            assertThat(s.executeUpdate("DELETE FROM agent_memory_schema_history WHERE version = 6")).isEqualTo(1);
            assertThat(redactionIndex(c, sqlite)).doesNotContainIgnoringCase("WHERE");
        }

        // ---- opened by this library: upgraded, nothing lost, the chain verifies and keeps growing
        try (AgentMemory am = open(sqlite, location)) {
            try (Connection c = DriverManager.getConnection(url)) {
                assertThat(redactionIndex(c, sqlite)).containsIgnoringCase("redaction_pos IS NOT NULL");
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT max(version) FROM agent_memory_schema_history")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(6);
                }
            }
            StoreAdmin stores = am.workspace(WS).stores();
            Memories m = am.workspace(WS).memories(store.id(), Actor.user("writer"));
            assertThat(all(m)).isEqualTo(before);
            ChainReport chain = stores.verify(store.id());
            assertThat(chain.intact()).as(chain.toString()).isTrue();
            assertThat(chain.linksVerified()).isEqualTo(chainBefore.linksVerified());
            assertThat(chain.head()).isEqualTo(chainBefore.head());

            Memory d = m.create("/notes/d.md", "after the upgrade");
            Memory d2 = m.update(d.id(), MemoryUpdate.content("after the upgrade, again"));
            stores.redact(store.id(), d.headVersionId(), ADMIN);
            ChainReport after = stores.verify(store.id());
            assertThat(after.intact()).as(after.toString()).isTrue();
            // two versions and one redaction link more than before
            assertThat(after.linksVerified()).isEqualTo(chainBefore.linksVerified() + 3);
            assertThat(m.get(d.id()).text()).isEqualTo(d2.text());
        }
    }

    private static AgentMemory open(boolean sqlite, String location) {
        return AgentMemory.builder().backend(sqlite ? JdbcBackend.sqlite(Path.of(location))
                : JdbcBackend.postgres(location, "postgres", "")).build();
    }

    /** Every version of the store, newest first, with content. */
    private static List<MemoryVersion> all(Memories m) {
        List<MemoryVersion> out = new ArrayList<>();
        VersionQuery q = VersionQuery.builder().includeContent(true).limit(100).build();
        out.addAll(m.versions(q).items());
        return out;
    }

    private static String redactionIndex(Connection c, boolean sqlite) throws SQLException {
        String sql = sqlite ? "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'am_version_by_redaction'"
                : "SELECT indexdef FROM pg_indexes WHERE indexname = 'am_version_by_redaction'"
                        + " AND schemaname = current_schema()";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("the index exists").isTrue();
            return rs.getString(1);
        }
    }
}
