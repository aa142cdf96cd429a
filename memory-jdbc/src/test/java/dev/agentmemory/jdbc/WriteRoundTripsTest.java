package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an update sends to the database. An update by a service whose last commit to the store was its own starts
 * from what that commit left (no read of the store or the memory) and, on PostgreSQL, commits in one statement: one
 * round trip. When another writer has moved the store since, the guess fails its compare-and-set, the service reads
 * afresh and retries, and nothing is lost or stale; an archive by another writer is seen the same way.
 */
class WriteRoundTripsTest {

    private final SqliteFixture files = new SqliteFixture();
    private PostgresFixture pg;

    @AfterEach
    void tearDown() {
        files.close();
        if (pg != null) {
            pg.close();
        }
    }

    private static Memories store(AgentMemory am) {
        var ws = am.workspace("w");
        MemoryStore s = ws.stores().create(NewStore.named("trips").build());
        return ws.memories(s.id(), Actor.user("u"));
    }

    @Test
    void onPostgresqlAnUncontendedUpdateIsOneStatementAndAStaleGuessIsRetriedWithNothingLost() {
        pg = new PostgresFixture();
        String url = pg.newSchemaUrl();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        try (HikariDataSource real = new HikariDataSource(config)) {
            ContentCacheTest.RecordingDataSource recording = new ContentCacheTest.RecordingDataSource(real);
            try (AgentMemory a = AgentMemory.builder().backend(JdbcBackend.builder().dataSource(recording)
                    .dialect(Dialect.POSTGRESQL).build()).build();
                    AgentMemory b = AgentMemory.builder().backend(JdbcBackend.postgres(url, null, null)).build()) {
                Memories ma = store(a);
                Memory doc = ma.create("/notes/a.md", "one");
                ma.update(doc.id(), MemoryUpdate.content("two"));
                recording.sql.clear();
                recording.connections.set(0);

                ma.update(doc.id(), MemoryUpdate.content("three"));
                assertThat(recording.sql).as("statements of an uncontended update").hasSize(1);
                assertThat(recording.sql.get(0)).startsWith("WITH s AS (UPDATE am_store SET seq = seq + 1");
                assertThat(recording.connections).hasValue(1);

                // Another writer moves the store: the guess is stale, the compare-and-set fails, the update is
                // made again on what is there now, and both writes are kept.
                Memories mb = b.workspace("w").memories(ma.storeId(), Actor.user("other"));
                mb.update(doc.id(), MemoryUpdate.content("four, by b"));
                recording.sql.clear();
                Memory five = ma.update(doc.id(), MemoryUpdate.content("five"));
                assertThat(recording.sql.stream().filter(s -> s.startsWith("WITH s AS"))).hasSize(2);
                assertThat(recording.sql).anyMatch(s -> s.startsWith("SELECT id, workspace_id"));
                List<MemoryVersion> history = ma.versions(VersionQuery.ofMemory(doc.id()).includeContent(true)
                        .build()).items();
                assertThat(history).extracting(v -> v.content().orElseThrow())
                        .containsExactly("five", "four, by b", "three", "two", "one");
                assertThat(mb.get(doc.id()).text()).isEqualTo("five");
                assertThat(five.headVersionId()).isEqualTo(history.get(0).id());

                // Another writer updates another memory of the store: the guess is stale, the one statement's
                // compare-and-set misses, and the update lands in a transaction that waits for the store row's lock
                // and checks only its own memory's head: no re-read of the store, no second attempt.
                Memory other = mb.create("/notes/b.md", "b");
                ma.update(doc.id(), MemoryUpdate.content("five and a half"));
                mb.update(other.id(), MemoryUpdate.content("b, again"));
                recording.sql.clear();
                ma.update(doc.id(), MemoryUpdate.content("six"));
                assertThat(recording.sql.stream().filter(s -> s.startsWith("WITH s AS"))).hasSize(1);
                assertThat(recording.sql).anyMatch(s -> s.startsWith("UPDATE am_store SET seq = seq + 1 WHERE id = ?"
                        + " RETURNING")).noneMatch(s -> s.startsWith("SELECT id, workspace_id"));
                assertThat(mb.get(doc.id()).text()).isEqualTo("six");
                assertThat(b.workspace("w").stores().verify(ma.storeId()).broken()).isEmpty();

                // Another writer archives the store: the stale guess does not let a write through.
                b.workspace("w").stores().archive(ma.storeId());
                assertThatThrownBy(() -> ma.update(doc.id(), MemoryUpdate.content("seven")))
                        .isInstanceOf(ArchivedException.class);
                assertThat(mb.get(doc.id()).text()).isEqualTo("six");
            }
        }
    }

    @Test
    void onSqliteAnUncontendedUpdateReadsNothingBeforeItsTransaction() {
        Path file = files.nextFile();
        try (TwoSqliteBackends two = TwoSqliteBackends.on(file)) {
            AgentMemory a = two.a;
            AgentMemory b = two.b;
            ContentCacheTest.RecordingDataSource recording = two.recordingA;
            Memories ma = store(a);
            Memory doc = ma.create("/notes/a.md", "one");
            ma.update(doc.id(), MemoryUpdate.content("two"));
            recording.sql.clear();
            recording.connections.set(0);

            recording.sent.clear();
            ma.update(doc.id(), MemoryUpdate.content("three"));
            // the least a version costs: the store's compare-and-set (which also moves the chain head), the head
            // row, the version row (with its seal), inside BEGIN IMMEDIATE ... COMMIT
            assertThat(recording.sent).as("statements of an uncontended update").hasSize(5);
            assertThat(recording.sent.get(0)).isEqualTo("BEGIN IMMEDIATE");
            assertThat(recording.sent.get(1)).isEqualTo("UPDATE am_store SET seq = seq + 1, chain_length = ?,"
                    + " chain_head = ? WHERE id = ? AND seq = ?");
            assertThat(recording.sent.get(2)).startsWith("UPDATE am_memory");
            assertThat(recording.sent.get(3)).startsWith("INSERT INTO am_version");
            assertThat(recording.sent.get(4)).isEqualTo("COMMIT");
            // nothing compiled: the write's statements are kept on the physical connection since the last update
            assertThat(recording.sql).as("statements prepared by an uncontended update").isEmpty();
            assertThat(recording.connections).as("one connection: the write's").hasValue(1);

            Memories mb = b.workspace("w").memories(ma.storeId(), Actor.user("other"));
            mb.update(doc.id(), MemoryUpdate.content("four, by b"));
            ma.update(doc.id(), MemoryUpdate.content("five"));
            assertThat(ma.versions(VersionQuery.ofMemory(doc.id()).includeContent(true).build()).items())
                    .extracting(v -> v.content().orElseThrow())
                    .containsExactly("five", "four, by b", "three", "two", "one");
        }
    }
}
