package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.cli.MemctlProcess.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * memctl opens an existing agent-memory database and never creates or changes one unless asked ({@code init},
 * {@code --create}). Each case runs the packaged jar and then checks the file system and the database.
 */
class MemctlOpenIT {

    @TempDir
    Path dir;

    private Result memctl(String... args) {
        return MemctlProcess.run(dir, Map.of(), new byte[0], List.of(args));
    }

    private List<String> files(Path where) throws IOException {
        try (Stream<Path> s = Files.walk(where)) {
            return s.filter(p -> !p.equals(where)).map(p -> where.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aMistypedDbIsAnErrorAndCreatesNothing() throws IOException {
        for (List<String> command : List.of(List.of("ls", "notes"), List.of("stores", "list"),
                List.of("stores", "create", "notes"), List.of("purge", "notes"))) {
            List<String> args = new ArrayList<>(List.of("--db", "typo/memroy.db"));
            args.addAll(command);
            memctl(args.toArray(String[]::new)).assertFails(3, "no database at typo/memroy.db (nothing was created)")
                    .assertErrContains("memctl --db typo/memroy.db init");
        }
        memctl("ls", "notes").assertFails(3, "no database at agent-memory.db");
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void initCreatesOnlyWhenAskedAndIsIdempotent() throws IOException {
        assertThat(memctl("--db", "sub/dir/m.db", "init").assertOk().out())
                .isEqualTo("created agent-memory database sub/dir/m.db\n");
        assertThat(memctl("--db", "sub/dir/m.db", "init").assertOk().out()).contains("is an agent-memory database");
        memctl("--db", "sub/dir/m.db", "stores", "create", "notes").assertOk();
        assertThat(memctl("--db", "other.db", "--create", "stores", "list").assertOk().out()).contains("ID");
        assertThat(files(dir)).contains("sub/dir/m.db", "other.db");
    }

    @Test
    void aForeignSqliteFileIsRefusedAndGetsNoTable() throws Exception {
        Path foreign = dir.resolve("app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)");
            s.execute("INSERT INTO orders (total) VALUES (9.5)");
        }
        byte[] before = Files.readAllBytes(foreign);
        for (String[] args : List.of(new String[] {"--db", "app.db", "stores", "list"},
                new String[] {"--db", "app.db", "ls", "x"}, new String[] {"--db", "app.db", "init"},
                new String[] {"--db", "app.db", "--create", "stores", "list"})) {
            memctl(args).assertFails(9, "app.db is not an agent-memory database")
                    .assertErrContains("memctl never adds its tables");
        }
        assertThat(Files.readAllBytes(foreign)).isEqualTo(before);
        assertThat(files(dir)).containsExactly("app.db");
        assertThat(tables(foreign)).containsExactly("orders");
    }

    @Test
    void aReadOnlyFileIsNamedAndLeavesNoSideFiles() throws Exception {
        memctl("--db", "m.db", "init").assertOk();
        memctl("--db", "m.db", "stores", "create", "notes").assertOk();
        Files.deleteIfExists(dir.resolve("m.db-amseq"));
        assertThat(files(dir)).containsExactly("m.db");
        // The tests run as root, whom file permissions do not bind: run memctl as the unprivileged user 65534 (nobody).
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("m.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Result r = MemctlProcess.runAs(dir, "65534", List.of("--db", "m.db", "stores", "list"));
        r.assertFails(9, "m.db is read-only").assertErrContains("writable");
        assertThat(files(dir)).containsExactly("m.db");
    }

    @Test
    void aCorruptFileIsNamedAsDamaged() throws IOException {
        Path bad = dir.resolve("bad.db");
        byte[] junk = new byte[8192];
        new java.util.Random(7).nextBytes(junk);
        Files.write(bad, junk);
        for (String[] args : List.of(new String[] {"--db", "bad.db", "stores", "list"},
                new String[] {"--db", "bad.db", "init"})) {
            Result r = memctl(args).assertFails(9, "bad.db is damaged or is not a SQLite database");
            assertThat(r.err()).doesNotContain("credentials");
        }
        assertThat(Files.readAllBytes(bad)).isEqualTo(junk);
        assertThat(files(dir)).containsExactly("bad.db");
    }

    @Test
    void processesStartedSideBySidePrintNothingOnStderr() throws Exception {
        memctl("--db", "m.db", "init").assertOk();
        for (int round = 0; round < 2; round++) {
            List<CompletableFuture<Result>> runs = IntStream.range(0, 6)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> memctl("--db", "m.db", "stores", "list")))
                    .toList();
            for (CompletableFuture<Result> run : runs) {
                Result r = run.join().assertOk();
                assertThat(r.err()).as("stderr of a memctl started beside others").isEmpty();
            }
        }
    }

    private static List<String> tables(Path file) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
