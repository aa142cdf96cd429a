package dev.agentmemory.jdbc.internal;

import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.OpenMode;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * What a JDBC backend is opened with, as the builder collected it.
 *
 * @param dataSource where connections come from
 * @param dialect the database's dialect
 * @param mode what opening may create or change
 * @param describe the database as errors name it (the SQLite file, the PostgreSQL URL)
 * @param closeDataSource whether closing the backend closes the data source
 * @param cacheBytes the most content bytes to keep decoded in memory; 0 for none
 * @param retryBudget how long transient failures are retried
 * @param clock stamps when an erasure became pending
 */
public record BackendSettings(DataSource dataSource, Dialect dialect, OpenMode mode, String describe,
        boolean closeDataSource, long cacheBytes, Duration retryBudget, Clock clock) {
}
