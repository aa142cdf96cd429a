package dev.agentmemory.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/** The packaged {@code memory-server.jar} run as a separate process on a free port of 127.0.0.1. */
final class ServerProcess implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("server.jar", "target/memory-server.jar"));
    private static final Pattern LISTENING = Pattern.compile("memory-server listening on (http://\\S+)");

    final Process process;
    final URI uri;
    private final StringBuffer output;

    private ServerProcess(Process process, URI uri, StringBuffer output) {
        this.process = process;
        this.uri = uri;
        this.output = output;
    }

    /** @return what the process printed so far */
    String output() {
        return output.toString();
    }

    /** Starts the server with these options (besides --port 0) and waits until it listens. */
    static ServerProcess start(Path workDir, String... options) throws IOException {
        return start(workDir, List.of("-jar", JAR.toString()), options);
    }

    /**
     * Starts the server as {@code java <launch> --port 0 <options>}, where {@code launch} says what to run (a jar, or a
     * module path and a module), and waits until it listens.
     */
    static ServerProcess start(Path workDir, List<String> launch, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.log.dev.agentmemory.server.access=warn"));
        cmd.addAll(launch);
        cmd.addAll(List.of("--port", "0"));
        cmd.addAll(List.of(options));
        java.nio.file.Files.createDirectories(Path.of("target", "server-logs"));
        Path log = Path.of("target", "server-logs", "server-" + System.nanoTime() + ".log").toAbsolutePath();
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.append(line).append('\n');
                    java.nio.file.Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            listening.complete(null);
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        URI uri;
        try {
            uri = listening.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the server did not start: " + out, e);
        }
        if (uri == null) {
            throw new IllegalStateException("the server exited: " + out);
        }
        return new ServerProcess(p, uri, out);
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful shutdown. */
    boolean terminate(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
        if (output.indexOf("ERROR") >= 0 || output.indexOf("Exception") >= 0) {
            System.out.println("the server process reported errors:\n" + output);
        }
    }

    /** The PostgreSQL test server's URL; skips without one, fails in CI. */
    static String postgresUrl() {
        Optional<String> url = Optional.ofNullable(System.getenv("AGENT_MEMORY_PG_URL")).filter(s -> !s.isBlank());
        if (url.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("AGENT_MEMORY_PG_URL is not set; CI must run the PostgreSQL tests (scripts/pg-test-server.sh)");
            }
            Assumptions.abort("AGENT_MEMORY_PG_URL is not set; start one with scripts/pg-test-server.sh");
        }
        return url.get();
    }
}
