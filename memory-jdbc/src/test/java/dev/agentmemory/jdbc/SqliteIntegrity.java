package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Runs SQLite's own consistency check on a database file. */
final class SqliteIntegrity {

    private SqliteIntegrity() {
    }

    /**
     * Asserts that {@code PRAGMA integrity_check} finds nothing wrong with a database file.
     *
     * @param file the database file
     * @throws SQLException if the check cannot run
     */
    static void assertIntact(Path file) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
        }
        assertThat(problems).as("PRAGMA integrity_check of %s", file).containsExactly("ok");
    }
}
