package dev.agentmemory.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A separate JVM running one of the test mains ({@link RaceWriter}, {@link CrashWriter}) on the test class path,
 * with {@code -Xmx256m}. Its standard output is collected line by line as it comes (a line counts only once its
 * {@code '\n'} has arrived, so a line cut by a kill is never seen), its standard error goes to a file. Every wait is
 * bounded; {@link #close()} kills the JVM if it still runs.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path stderr;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>();
    private boolean eof;

    private ChildJvm(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::readOutput, "child-output-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts a JVM running {@code main} with arguments.
     *
     * @param name a name for messages and the stderr file
     * @param dir where the stderr file and the child's temporary files go
     * @param main the main class, on the test class path
     * @param args its arguments
     * @return the running child
     */
    static ChildJvm start(String name, Path dir, Class<?> main, List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dir.toAbsolutePath(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath, main.getName()));
        command.addAll(args);
        Path err = dir.resolve(name + ".stderr");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            return new ChildJvm(name, p, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private void readOutput() {
        try (InputStream in = process.getInputStream()) {
            byte[] buf = new byte[8192];
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        String text = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        synchronized (this) {
                            lines.add(text);
                            notifyAll();
                        }
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
        } catch (IOException e) {
            // the stream closes when the process dies
        } finally {
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }
    }

    /** @return the name */
    String name() {
        return name;
    }

    /** @return the child's process id */
    long pid() {
        return process.pid();
    }

    /** @return whether the child runs */
    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Returns the complete lines printed so far.
     *
     * @return a copy
     */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits for a line that matches.
     *
     * @param match what to wait for
     * @param timeout how long at most
     * @return the first matching line, or empty if the output ended or time ran out first
     * @throws InterruptedException if interrupted
     */
    synchronized Optional<String> awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> found = lines.stream().filter(match).findFirst();
            if (found.isPresent() || eof) {
                return found;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * Writes a line to the child's standard input.
     *
     * @param line the line, without its end
     */
    void send(String line) {
        try {
            OutputStream out = process.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + name + " (it has died?)" + stderrTail(), e);
        }
    }

    /**
     * Waits for the child to end and for its output to be read to the end.
     *
     * @param timeout how long at most
     * @return the exit code, or empty if it still runs
     * @throws InterruptedException if interrupted
     */
    Optional<Integer> waitFor(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 5_000);
        return Optional.of(process.exitValue());
    }

    /**
     * Kills the child with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits for it to die.
     *
     * @return the exit code (137 after SIGKILL), or empty if it did not die within 30 s
     * @throws InterruptedException if interrupted
     */
    Optional<Integer> kill() throws InterruptedException {
        process.destroyForcibly();
        return waitFor(Duration.ofSeconds(30));
    }

    /**
     * Returns the end of the child's standard error, for failure messages.
     *
     * @return a few KiB of it, starting with a line break, or an empty string
     */
    String stderrTail() {
        try {
            if (!Files.exists(stderr)) {
                return "";
            }
            String all = Files.readString(stderr, StandardCharsets.UTF_8);
            if (all.isBlank()) {
                return "";
            }
            return "\n--- stderr of " + name + " ---\n" + (all.length() > 6000 ? "..." + all.substring(all.length()
                    - 6000) : all);
        } catch (IOException e) {
            return "\n(cannot read the stderr of " + name + ": " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(5_000);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
