package dev.agentmemory.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.Capabilities;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens each backend in a new schema of the PostgreSQL database named by {@code AGENT_MEMORY_PG_URL} (a JDBC URL
 * with the user in it, as {@code scripts/pg-test-server.sh start} prints), and drops the schemas on close. Without
 * that variable the PostgreSQL tests are skipped, except in CI ({@code CI=true}), where they fail.
 */
final class PostgresFixture implements BackendFixture {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private final String url;
    private final List<String> schemas = new ArrayList<>();

    PostgresFixture() {
        this.url = requireServer();
    }

    /**
     * Returns the test server's URL, or skips (fails in CI) when there is none.
     *
     * @return the JDBC URL
     */
    static String requireServer() {
        String url = System.getenv("AGENT_MEMORY_PG_URL");
        if (url == null || url.isBlank()) {
            String why = "AGENT_MEMORY_PG_URL is not set: start a test server with"
                    + " eval \"$(scripts/pg-test-server.sh start)\"";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("PostgreSQL tests cannot run in CI: " + why);
            }
            Assumptions.abort(why);
        }
        try (Connection c = DriverManager.getConnection(url)) {
            return url;
        } catch (SQLException e) {
            fail("the PostgreSQL test server at " + url + " is unreachable: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    /**
     * Creates a new, empty schema and returns a URL whose connections use it.
     *
     * @return the JDBC URL
     */
    String newSchemaUrl() {
        String schema = "am_test_" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema, e);
        }
        synchronized (schemas) {
            schemas.add(schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    public MemoryBackend open() {
        return JdbcBackend.postgres(newSchemaUrl(), "postgres", "");
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(1.0);
    }

    @Override
    public void close() {
        synchronized (schemas) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (String schema : schemas) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop the test schemas " + schemas, e);
            }
            schemas.clear();
        }
    }
}
