package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code sqlite3} shell in another process holding a read transaction open on a database file, as an operator
 * with a shell open, a backup or a second agent would: it has read, so it keeps its snapshot until {@link #close()}
 * ends the transaction. Skips the test when {@code sqlite3} is not installed, except in CI ({@code CI=true}), where it
 * fails.
 */
final class Sqlite3Reader implements AutoCloseable {

    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private boolean closed;

    private Sqlite3Reader(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts the shell and opens a read transaction that has read the version table.
     *
     * @param file the database
     * @return the reader, holding its snapshot
     */
    static Sqlite3Reader open(Path file) {
        String tool = sqlite3();
        try {
            Process p = new ProcessBuilder(tool, file.toString()).redirectErrorStream(true).start();
            Sqlite3Reader r = new Sqlite3Reader(p);
            r.in.write("BEGIN;\nSELECT 'reading', count(*) FROM am_version;\n");
            r.in.flush();
            String line = r.out.readLine();
            assertThat(line).as("sqlite3 answered from inside its read transaction").startsWith("reading|");
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the read transaction and the shell. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            in.write("COMMIT;\n.quit\n");
            in.flush();
            in.close();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("sqlite3 ended").isTrue();
            assertThat(process.exitValue()).as("sqlite3's exit code").isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String sqlite3() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "sqlite3"))) {
                return Path.of(d, "sqlite3").toString();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("sqlite3 is not installed; the erasure tests need it (apt-get install sqlite3)");
        }
        Assumptions.abort("sqlite3 is not installed");
        return null;
    }
}
