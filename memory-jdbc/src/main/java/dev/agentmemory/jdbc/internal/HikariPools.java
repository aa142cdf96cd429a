package dev.agentmemory.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.jdbc.PooledDataSource;
import javax.sql.DataSource;

/** The only class that touches HikariCP; loaded only once {@link Pools} has checked that HikariCP is present. */
final class HikariPools {

    private HikariPools() {
    }

    static PooledDataSource sqlite(DataSource sqlite) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(sqlite);
        config.setMaximumPoolSize(4);
        config.setPoolName("agent-memory-sqlite");
        config.setConnectionTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(config);
        return new Pools.Wrapped(pool, pool);
    }

    static PooledDataSource postgres(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(10);
        config.setPoolName("agent-memory-postgres");
        config.setConnectionTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(config);
        return new Pools.Wrapped(pool, pool);
    }
}
