package dev.agentmemory.fuse.examples;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.fuse.MemoryMount;
import dev.agentmemory.fuse.MountOptions;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The live FUSE mount: a session's stores as a directory that bash edits directly, with no sync step. Each closed
 * write is one version attributed to the session; another writer's change is visible at the next read; the read-only
 * attachment is refused by the kernel. This sample lives in memory-fuse's test sources, not in the examples module,
 * because memory-fuse needs Java 22+ and examples is built on the Java 17 baseline; MountExampleTest runs it.
 */
public final class MountExample {

    private MountExample() {
    }

    /**
     * Runs the example in a new temporary directory, or in {@code args[0]}.
     *
     * @param args an optional working directory
     * @throws Exception if a command cannot run
     */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("mount"), System.out);
    }

    /**
     * Runs the example: the database is {@code dir/memory.db}, the mount root {@code dir/memory}.
     *
     * @param dir a working directory
     * @param out where to print
     * @return the notes store's versions, newest first
     * @throws Exception if a command cannot run
     */
    public static List<MemoryVersion> run(Path dir, PrintStream out) throws Exception {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(dir.resolve("memory.db"))).build()) {
            Workspace ws = memory.workspace("acme");
            MemoryStore notes = ws.stores().create(NewStore.named("Project notes").build());
            MemoryStore rules = ws.stores().create(NewStore.named("Team rules").build());
            Memories operator = ws.memories(notes.id(), Actor.user("alice"));
            operator.create("/build.md", "Run mvn -B verify.\n");
            ws.memories(rules.id(), Actor.user("alice")).create("/style.md", "Four-space indents.\n");
            Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id()),
                    AttachmentSpec.readOnly(rules.id())));

            try (MemoryMount mount = MemoryMount.mount(session, dir.resolve("memory"), MountOptions.defaults())) {
                Path root = mount.root();                                  // <dir>/memory/{project-notes,team-rules}
                out.print(bash(root, "echo '- fix PaymentRetryTest' >> project-notes/todo.md"
                        + " && sed -i 's/verify/verify -T4/' project-notes/build.md && cat project-notes/build.md"));
                out.print(bash(root, "echo nope >> team-rules/style.md"));  // EROFS: the kernel refuses it
                operator.update(operator.getByPath("/build.md").id(), MemoryUpdate.content("Use ./mvnw.\n"));
                out.print(bash(root, "cat project-notes/build.md"));        // the other writer's change, at once
                mount.awaitSettled(Duration.ofSeconds(5));
            }
            List<MemoryVersion> versions = operator.versions(VersionQuery.builder().build()).items();
            versions.forEach(v -> out.println(v.operation().wireName() + " " + v.path().orElse("") + " by "
                    + v.createdBy()));
            return versions;
        }
    }

    private static String bash(Path dir, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return output;
    }
}
