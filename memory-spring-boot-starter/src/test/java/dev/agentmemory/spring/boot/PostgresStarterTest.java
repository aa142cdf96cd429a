package dev.agentmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The starter's scenarios on a PostgreSQL server given as the application's {@code spring.datasource.url}; skipped
 * without {@code AGENT_MEMORY_PG_URL}, failed in CI.
 */
class PostgresStarterTest extends AbstractStarterScenarios {

    @Override
    String newDatabaseUrl() {
        return TestDatabases.newPostgresSchema();
    }

    @Test
    void theDialectIsDetectedAndTheTablesLandInTheApplicationsSchema() {
        String url = newDatabaseUrl();
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        app(url).run(ctx -> {
            ctx.getBean(AgentMemory.class);
            try (Connection c = ctx.getBean(DataSource.class).getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables"
                            + " WHERE table_schema = '" + schema + "' AND table_name = 'am_store'")) {
                rs.next();
                assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        });
    }
}
