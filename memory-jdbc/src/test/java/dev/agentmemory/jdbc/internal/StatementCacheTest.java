package dev.agentmemory.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.jdbc.PooledDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statement cache on a real SQLite file behind the library's own pool: a statement is compiled once per physical
 * connection and survives the connection's return to the pool; a statement returned to the cache is never left in
 * progress, so {@code VACUUM} on its connection and a truncating checkpoint from another connection succeed after
 * many cached writes and reads; and a discarded connection's statements are closed.
 */
class StatementCacheTest {

    private static final String INSERT = "INSERT INTO t (k, v) VALUES (?, ?)";
    private static final String SELECT = "SELECT k, v FROM t WHERE k >= ? ORDER BY k";
    private static final String RETURNING = "UPDATE t SET v = v || 'x' WHERE k = ? RETURNING v";

    @TempDir
    Path dir;

    private PooledDataSource pool;
    private final StatementCache cache = new StatementCache(true);

    @BeforeEach
    void open() throws SQLException {
        pool = JdbcBackend.sqliteDataSource(dir.resolve("cache.db"));
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        }
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aStatementIsPreparedOnceAndOutlivesTheConnectionsReturnToThePool() throws SQLException {
        PreparedStatement first;
        Connection physical;
        try (Connection c = pool.getConnection()) {
            physical = c.unwrap(Connection.class);
            try (StatementCache.Lease lease = cache.lease(c, INSERT)) {
                first = lease.statement();
                first.setInt(1, 1);
                first.setString(2, "a");
                assertThat(first.executeUpdate()).isEqualTo(1);
            }
        }
        // the pool hands out its connections in turn: borrow until the same physical connection comes back
        for (int i = 0; i < 20; i++) {
            try (Connection c = pool.getConnection()) {
                if (c.unwrap(Connection.class) != physical) {
                    continue;
                }
                try (StatementCache.Lease lease = cache.lease(c, INSERT)) {
                    assertThat(lease.statement()).isSameAs(first);
                    assertThat(lease.statement().isClosed()).isFalse();
                    lease.statement().setInt(1, 2);
                    lease.statement().setString(2, "b");
                    assertThat(lease.statement().executeUpdate()).isEqualTo(1);
                }
                return;
            }
        }
        throw new AssertionError("the pool never handed out the first physical connection again");
    }

    @Test
    void theSameStatementLeasedTwiceAtOnceIsTwoStatementsAndTheSecondIsClosedAfterwards() throws SQLException {
        try (Connection c = pool.getConnection();
                StatementCache.Lease outer = cache.lease(c, SELECT)) {
            PreparedStatement inner;
            try (StatementCache.Lease nested = cache.lease(c, SELECT)) {
                inner = nested.statement();
                assertThat(inner).isNotSameAs(outer.statement());
            }
            assertThat(inner.isClosed()).isTrue();
            assertThat(outer.statement().isClosed()).isFalse();
        }
    }

    @Test
    void vacuumAndATruncatingCheckpointSucceedAfterManyCachedWritesAndReads() throws SQLException, IOException {
        for (int i = 0; i < 500; i++) {
            try (Connection c = pool.getConnection()) {
                try (StatementCache.Lease lease = cache.lease(c, INSERT)) {
                    lease.statement().setInt(1, i);
                    lease.statement().setString(2, "value " + i);
                    lease.statement().executeUpdate();
                }
                try (StatementCache.Lease lease = cache.lease(c, RETURNING)) {
                    lease.statement().setInt(1, i);
                    try (ResultSet rs = lease.statement().executeQuery()) {
                        assertThat(rs.next()).isTrue();
                    }
                }
                // a query whose result set is closed before it is read to the end
                try (StatementCache.Lease lease = cache.lease(c, SELECT)) {
                    lease.statement().setInt(1, 0);
                    try (ResultSet rs = lease.statement().executeQuery()) {
                        assertThat(rs.next()).isTrue();
                    }
                }
            }
        }
        // every pooled connection has cached statements now; none is in progress, and none holds a snapshot
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            for (Connection c : new Connection[] {a, b}) {
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM");
                }
            }
            try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the checkpoint was not blocked by a reader").isZero();
            }
            assertThat(Files.size(dir.resolve("cache.db-wal"))).isZero();
            try (Statement s = b.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(500);
            }
        }
    }

    @Test
    void aDiscardedConnectionsStatementsAreClosedAndPreparedAfresh() throws SQLException {
        try (Connection c = pool.getConnection()) {
            PreparedStatement kept;
            try (StatementCache.Lease lease = cache.lease(c, SELECT)) {
                kept = lease.statement();
            }
            cache.discard(c);
            assertThat(kept.isClosed()).isTrue();
            try (StatementCache.Lease lease = cache.lease(c, SELECT)) {
                assertThat(lease.statement()).isNotSameAs(kept);
                lease.statement().setInt(1, 0);
                try (ResultSet rs = lease.statement().executeQuery()) {
                    assertThat(rs.next()).isFalse();
                }
            }
        }
    }

    @Test
    void withoutCachingEveryLeaseClosesItsStatement() throws SQLException {
        StatementCache off = new StatementCache(false);
        try (Connection c = pool.getConnection()) {
            PreparedStatement ps;
            try (StatementCache.Lease lease = off.lease(c, SELECT)) {
                ps = lease.statement();
            }
            assertThat(ps.isClosed()).isTrue();
        }
    }
}
