package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drivers and HikariCP are optional dependencies: a JVM without one of them gets, from the factory that needs it,
 * an error naming the artifact to add, and nothing is created. Each case runs a separate JVM on the test class path
 * minus one jar.
 */
class MissingDependencyTest {

    @TempDir
    Path dir;

    private String run(String without, String... args) throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).getFileName().toString().startsWith(without))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(cp).isNotEqualTo(System.getProperty("java.class.path")); // the jar was on it, and is gone
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                MissingDependencyMain.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> !l.startsWith("[")).collect(Collectors.joining("\n"));
    }

    @Test
    void sqliteWithoutHikariNamesHikari() throws Exception {
        Path db = dir.resolve("m.db");
        assertThat(run("HikariCP-", "sqlite", db.toString()))
                .startsWith("StorageException").contains("com.zaxxer:HikariCP");
        assertThat(Files.exists(db)).isFalse();
    }

    @Test
    void sqliteWithoutTheDriverNamesTheDriver() throws Exception {
        Path db = dir.resolve("m.db");
        assertThat(run("sqlite-jdbc-", "sqlite", db.toString()))
                .startsWith("StorageException").contains("org.xerial:sqlite-jdbc");
        assertThat(Files.exists(db)).isFalse();
    }

    @Test
    void postgresWithoutTheDriverNamesTheDriver() throws Exception {
        assertThat(run("postgresql-", "postgres", "jdbc:postgresql://127.0.0.1:1/none"))
                .startsWith("StorageException").contains("org.postgresql:postgresql");
    }

    @Test
    void sqliteNeedsNoPostgresDriver() throws Exception {
        assertThat(run("postgresql-", "sqlite", dir.resolve("ok.db").toString())).isEqualTo("opened");
    }

    @Test
    void aHostDataSourceNeedsNoHikari() throws Exception {
        assertThat(run("HikariCP-", "host", dir.resolve("host.db").toString())).isEqualTo("opened");
    }
}
