package dev.agentmemory.jdbc.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.jdbc.SchemaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * A component's own script series beside the library's schema, on a real SQLite file: applied in order and recorded
 * in its own history table (never the library's), nothing applied twice, an edited history refused; and a series
 * that is described wrongly is refused when it is built.
 */
class ScriptSeriesTest {

    private static final List<String> SCRIPTS = List.of("V1__first.sql", "V2__second.sql");

    @TempDir
    Path dir;

    private static ScriptSeries series() {
        return ScriptSeries.builder("test schema", "series_test_history")
                .scripts(ScriptSeriesTest.class, "/dev/agentmemory/jdbc/schema/testseries", SCRIPTS)
                .upgradeHint("use a newer test").build();
    }

    @Test
    void aSeriesIsAppliedOnceBesideTheLibrarysSchemaInItsOwnHistory() throws Exception {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("m.db"));
        try (JdbcBackend backend = JdbcBackend.builder().dataSource(ds).dialect(Dialect.SQLITE).build()) {
            List<String> library = rows(ds, "SELECT version, script, checksum FROM agent_memory_schema_history");
            assertThat(series().migrate(ds, Dialect.SQLITE)).containsExactly(1, 2);
            assertThat(series().migrate(ds, Dialect.SQLITE)).isEmpty();
            assertThat(rows(ds, "SELECT id FROM series_test_b")).containsExactly("7");
            assertThat(rows(ds, "SELECT version, script FROM series_test_history ORDER BY version"))
                    .containsExactly("1|V1__first.sql", "2|V2__second.sql");
            assertThat(rows(ds, "SELECT version, script, checksum FROM agent_memory_schema_history"))
                    .as("the library's history is untouched").isEqualTo(library);

            exec(ds, "UPDATE series_test_history SET checksum = 'x' WHERE version = 2");
            assertThatThrownBy(() -> series().migrate(ds, Dialect.SQLITE)).isInstanceOf(SchemaException.class)
                    .hasMessageContaining("V2__second.sql");
            exec(ds, "DELETE FROM series_test_history WHERE version = 2");
            exec(ds, "DROP TABLE series_test_b");
            exec(ds, "INSERT INTO series_test_history (version, script, checksum, installed_at)"
                    + " VALUES (9, 'V9__later.sql', 'y', 0)");
            assertThatThrownBy(() -> series().migrate(ds, Dialect.SQLITE)).isInstanceOf(SchemaException.class)
                    .hasMessageContaining("version 9").hasMessageContaining("use a newer test");
            assertThat(rows(ds, "SELECT name FROM sqlite_master WHERE name = 'series_test_b'"))
                    .as("a refused migration applies nothing").isEmpty();
        }
    }

    @Test
    void aWronglyDescribedSeriesIsRefused() {
        assertThatThrownBy(() -> ScriptSeries.builder("x", "Bad-Table")).isInstanceOf(IllegalArgumentException.class);
        ScriptSeries.Builder b = ScriptSeries.builder("x", "x_history");
        assertThatThrownBy(() -> b.scripts(getClass(), "/s/", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.scripts(getClass(), "/s/", List.of("first.sql")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.scripts(getClass(), "/s/", List.of("V2__b.sql", "V1__a.sql")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.columns("name", "at", ChronoUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.columns("name; DROP", "at", ChronoUnit.MILLIS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
    }

    private static void exec(SQLiteDataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> rows(SQLiteDataSource ds, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}
