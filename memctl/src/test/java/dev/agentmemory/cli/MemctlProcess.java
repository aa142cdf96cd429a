package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Workspace;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.VersionQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Runs the packaged memctl jar as a separate process, and reads the database it wrote with the library. */
final class MemctlProcess {

    static final Path JAR = Path.of(System.getProperty("memctl.jar", "target/memctl.jar"));

    private MemctlProcess() {
    }

    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
        Result assertOk() {
            assertThat(exit).as("exit code; stderr: %s", err).isZero();
            return this;
        }

        /** Asserts a failure: its exit code, and a single 'memctl: ...' line on stderr mentioning {@code text}. */
        Result assertFails(int code, String text) {
            assertThat(exit).as("exit code; stdout: %s stderr: %s", out, err).isEqualTo(code);
            assertThat(err.lines().toList()).as("stderr").hasSize(1);
            assertThat(err).startsWith("memctl: ").contains(text);
            assertThat(out).as("stdout of a failed command").isEmpty();
            return this;
        }

        Result assertErrContains(String text) {
            assertThat(err).contains(text);
            return this;
        }
    }

    /**
     * Runs memctl as another (unprivileged) user through util-linux's {@code setpriv}, for the cases that file
     * permissions decide, which do not bind root.
     */
    static Result runAs(Path workDir, String user, List<String> args) {
        List<String> all = new ArrayList<>(List.of("--reuid=" + user, "--regid=" + user, "--clear-groups"));
        return run(workDir, Map.of("HOME", workDir.toString()), new byte[0], args, all);
    }

    static Result run(Path workDir, Map<String, String> env, byte[] stdin, List<String> args) {
        return run(workDir, env, stdin, args, null);
    }

    private static Result run(Path workDir, Map<String, String> env, byte[] stdin, List<String> args,
            List<String> setpriv) {
        try {
            Path in = Files.createTempFile(workDir, "stdin", ".bin");
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            Files.write(in, stdin);
            List<String> command = new ArrayList<>();
            if (setpriv != null) {
                command.add("setpriv");
                command.addAll(setpriv);
            }
            command.addAll(List.of(javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Xshare:auto", "-jar", JAR.toAbsolutePath().toString()));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("AGENT_MEMORY_"));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("memctl " + args + " did not finish");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(in);
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Opens the SQLite file with the library, as another process would, and applies {@code fn}. */
    static <T> T withDb(Path db, Function<Workspace, T> fn) {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(db)).build()) {
            return fn.apply(memory.workspace("default"));
        }
    }

    /**
     * Describes everything in a workspace: each store (archived too) with its memories and all its versions, with
     * their content hashes, actors and redactions. Equal snapshots mean nothing changed.
     */
    static String snapshot(Workspace ws) {
        StringBuilder b = new StringBuilder();
        List<MemoryStore> stores = ws.stores().list(StoreQuery.builder().includeArchived(true).limit(100).build())
                .items();
        for (MemoryStore s : stores) {
            b.append(s).append('\n');
            Memories m = ws.memories(s.id(), Actor.user("snapshot"));
            for (ListEntry e : m.list(ListQuery.under("/").limit(100).build()).items()) {
                b.append("  ").append(((Memory) e).withoutContent()).append('\n');
            }
            for (MemoryVersion v : m.versions(VersionQuery.builder().limit(100).build()).items()) {
                b.append("  ").append(v.withoutContent()).append('\n');
            }
        }
        return b.toString();
    }

    static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }
}
