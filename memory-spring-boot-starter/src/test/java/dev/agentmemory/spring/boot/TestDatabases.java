package dev.agentmemory.spring.boot;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the starter's tests run on: a SQLite file, and a new schema of the PostgreSQL server named by
 * {@code AGENT_MEMORY_PG_URL} (as {@code scripts/pg-test-server.sh start} prints it). Without that variable the
 * PostgreSQL tests are skipped, except in CI ({@code CI=true}), where they fail.
 */
public final class TestDatabases {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private TestDatabases() {
    }

    /**
     * Returns a SQLite JDBC URL for a file in a directory, with the busy timeout and WAL the library relies on.
     *
     * @param dir a temporary directory
     * @return the URL
     */
    public static String sqliteUrl(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("app.db").toAbsolutePath() + "?busy_timeout=10000&journal_mode=WAL";
    }

    /**
     * Returns the test server's URL, or skips (fails in CI) when there is none.
     *
     * @return the JDBC URL
     */
    public static String requirePostgres() {
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
            if (!c.isValid(10)) {
                fail("the PostgreSQL test server at " + url + " does not answer");
            }
            return url;
        } catch (SQLException e) {
            fail("the PostgreSQL test server at " + url + " is unreachable: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    /**
     * Creates a new, empty schema on the test server and returns a URL whose connections use it.
     *
     * @return the JDBC URL
     */
    public static String newPostgresSchema() {
        String url = requirePostgres();
        String schema = "am_spring_" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema, e);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
