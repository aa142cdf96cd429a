package dev.agentmemory.jdbc;

import dev.agentmemory.AgentMemory;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * Two memory services on one SQLite file, each over its own backend and connection pool, as two processes would have
 * them: {@link #a} over a data source that records every statement and connection ({@link #recordingA}), {@link #b}
 * over a plain one. The tests of what one backend caches or remembers, and of what another backend's write does to
 * that, start from here. Closing closes both services, then both pools.
 */
final class TwoSqliteBackends implements AutoCloseable {

    /** What {@link #a} sends to the database. */
    final ContentCacheTest.RecordingDataSource recordingA;
    /** The service whose statements are recorded. */
    final AgentMemory a;
    /** The other service: another process on the same file. */
    final AgentMemory b;
    private final PooledDataSource realA;
    private final PooledDataSource realB;

    private TwoSqliteBackends(PooledDataSource realA, PooledDataSource realB) {
        this.realA = realA;
        this.realB = realB;
        this.recordingA = new ContentCacheTest.RecordingDataSource(realA);
        this.a = open(recordingA);
        try {
            this.b = open(realB);
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    /**
     * Opens both services on a file.
     *
     * @param file the SQLite file, created if missing
     * @return the two services
     */
    static TwoSqliteBackends on(Path file) {
        PooledDataSource realA = JdbcBackend.sqliteDataSource(file);
        PooledDataSource realB = null;
        try {
            realB = JdbcBackend.sqliteDataSource(file);
            return new TwoSqliteBackends(realA, realB);
        } catch (RuntimeException e) {
            if (realB != null) {
                realB.close();
            }
            realA.close();
            throw e;
        }
    }

    /**
     * Opens a service over a SQLite data source (which it does not close).
     *
     * @param ds the data source
     * @return the service
     */
    static AgentMemory open(DataSource ds) {
        return AgentMemory.builder().backend(JdbcBackend.builder().dataSource(ds).dialect(Dialect.SQLITE).build())
                .build();
    }

    @Override
    public void close() {
        try (PooledDataSource closesA = realA; PooledDataSource closesB = realB; AgentMemory closesServiceA = a;
                AgentMemory closesServiceB = b) {
            // closed in reverse order: b, a, then the pools
        }
    }
}
