package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.StoreId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A policy record (an event or a held write) written while its store is being deleted on PostgreSQL: the deletion
 * locks the store's row first and then erases what the store holds, so a record that found the store before the
 * deletion committed must wait for it and then find no store, instead of landing after the deletion erased the
 * table and outliving its store (a held write keeps content, which a deletion promises to erase). The deletion is
 * played by a test connection that runs the backend's own first steps and holds them uncommitted.
 */
class PostgresPolicyRecordDeletionRaceTest {

    private PostgresFixture pg;
    private String url;
    private HikariDataSource real;
    private JdbcBackend backend;
    private AgentMemory memory;
    private StoreId store;

    @BeforeEach
    void open() {
        pg = new PostgresFixture();
        url = pg.newSchemaUrl();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        real = new HikariDataSource(config);
        backend = JdbcBackend.builder().dataSource(real).dialect(Dialect.POSTGRESQL).build();
        memory = AgentMemory.builder().backend(backend).build();
        store = memory.workspace("w").stores().create(NewStore.named("doomed").build()).id();
    }

    @AfterEach
    void close() {
        try {
            memory.close();
            real.close();
        } finally {
            pg.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anEventRecordedDuringTheStoresDeletionWaitsForItAndIsNotKept() throws Exception {
        PolicyEvent event = new PolicyEvent(PolicyEvent.PREFIX + "race1", store, "/notes/a.md", Actor.user("u"),
                PolicyEvent.Outcome.BLOCKED, "secrets", "aws-access-key", Instant.parse("2026-12-04T00:00:00Z"));
        CompletableFuture<Boolean> recorded;
        try (Connection deletion = DriverManager.getConnection(url)) {
            deletion.setAutoCommit(false);
            // the deletion's first steps: the store's row locked, its policy events erased, the row deleted
            execute(deletion, "SELECT seq FROM am_store WHERE id = ? FOR UPDATE");
            execute(deletion, "DELETE FROM am_policy_event WHERE store_id = ?");
            execute(deletion, "DELETE FROM am_store WHERE id = ?");
            recorded = CompletableFuture.supplyAsync(() -> backend.recordPolicyEvent(event));
            awaitWaitingOrDone(recorded);
            deletion.commit();
        }
        assertThat(recorded.get(30, TimeUnit.SECONDS)).as("the store was gone when the event could be recorded")
                .isFalse();
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM am_policy_event WHERE store_id = ?")) {
            ps.setString(1, store.value());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("policy events left of the deleted store").isZero();
            }
        }
    }

    private void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, store.value());
            ps.execute();
        }
    }

    /** Waits (at most 10 s) until a session of the database waits for a lock, or the record is done. */
    private void awaitWaitingOrDone(CompletableFuture<Boolean> recorded) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
            while (System.nanoTime() < deadline && !recorded.isDone()) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
    }
}
