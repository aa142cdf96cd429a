package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.error.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import dev.agentmemory.jdbc.internal.Migrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening with {@link OpenMode#EXISTING} creates nothing: no file, no directory, no table, no side file, and names
 * the database in every refusal. Checked on the file system and in the database afterwards. (A read-only file is
 * refused by {@link SqliteFiles#refusal}, table-tested in {@link SqliteFilesTest}; the tests run as root, whom file
 * permissions do not bind, so memctl's {@code MemctlOpenIT} checks it end to end as an unprivileged user.)
 */
class OpenModeTest {

    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aMissingFileIsNotCreatedNorItsDirectory() throws IOException {
        Path file = dir.resolve("typo/memory.db");
        assertThatThrownBy(() -> JdbcBackend.sqlite(file, OpenMode.EXISTING))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("does not exist");
        assertThat(files()).isEmpty();
    }

    @Test
    void anExistingAgentMemoryDatabaseOpens() throws IOException {
        Path file = dir.resolve("memory.db");
        JdbcBackend.sqlite(file).close();
        List<String> before = files();
        try (JdbcBackend b = JdbcBackend.sqlite(file, OpenMode.EXISTING)) {
            assertThat(b.dialect()).isEqualTo(Dialect.SQLITE);
        }
        try (JdbcBackend b = JdbcBackend.sqlite(file, OpenMode.VALIDATE)) {
            assertThat(b.dialect()).isEqualTo(Dialect.SQLITE);
        }
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void aForeignSqliteDatabaseIsRefusedUntouched() throws Exception {
        Path file = dir.resolve("other-app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO customers (name) VALUES ('ada')");
        }
        byte[] original = Files.readAllBytes(file);
        for (OpenMode mode : List.of(OpenMode.EXISTING, OpenMode.VALIDATE)) {
            assertThatThrownBy(() -> JdbcBackend.sqlite(file, mode))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining(file.toString());
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(original);
        assertThat(files()).containsExactly("other-app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            assertThat(tables).containsExactly("customers");
        }
    }

    @Test
    void aDamagedFileIsNamedAsDamaged() throws IOException {
        Path file = dir.resolve("memory.db");
        Files.writeString(file, "not the pages of a SQLite database, only text long enough to fill one".repeat(30));
        for (OpenMode mode : OpenMode.values()) {
            assertThatThrownBy(() -> JdbcBackend.sqlite(file, mode))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("damaged or is not a SQLite database")
                    .hasMessageNotContaining("credentials");
        }
    }

    @Test
    void aPostgresDatabaseWithoutTheSchemaGetsNoTable() throws SQLException {
        PostgresFixture pg = new PostgresFixture();
        try {
            String url = pg.newSchemaUrl();
            assertThatThrownBy(() -> JdbcBackend.postgres(url, null, null, OpenMode.EXISTING))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("not an agent-memory database");
            assertThat(tables(url)).isEmpty();
            JdbcBackend.postgres(url, null, null, OpenMode.CREATE).close();
            try (JdbcBackend b = JdbcBackend.postgres(url, null, null, OpenMode.EXISTING)) {
                assertThat(b.dialect()).isEqualTo(Dialect.POSTGRESQL);
            }
            assertThat(tables(url)).contains(Migrator.HISTORY_TABLE, "am_store");
        } finally {
            pg.close();
        }
    }

    private static List<String> tables(String url) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema()")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
