package dev.agentmemory.jdbc;

import javax.sql.DataSource;

/**
 * A data source that holds open connections until it is closed: what {@link JdbcBackend#sqliteDataSource(java.nio.file.Path)}
 * returns. Thread-safe; closing it closes its connections, and it hands out none afterwards.
 */
public interface PooledDataSource extends DataSource, AutoCloseable {

    /** Closes every connection of the pool. Closing twice does nothing. */
    @Override
    void close();
}
