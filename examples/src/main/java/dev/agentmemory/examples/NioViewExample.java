package dev.agentmemory.examples;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.fs.MemoryFileSystems;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code java.nio.file} view: a session's stores as a {@link FileSystem}, so code written for files (here
 * {@link Files#writeString}, {@link Files#move}, {@link Files#walk}) reads and writes memories. Each closed write is
 * one version attributed to the session.
 */
public final class NioViewExample {

    private NioViewExample() {
    }

    /**
     * Runs the example on a SQLite file.
     *
     * @param args an optional database file; a new temporary one otherwise
     * @throws IOException if a file operation fails
     */
    public static void main(String[] args) throws IOException {
        run(args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("nio-view").resolve("memory.db"),
                System.out);
    }

    /**
     * Runs the example and prints what it did.
     *
     * @param database the SQLite file (created if missing)
     * @param out where to print
     * @throws IOException if a file operation fails
     */
    public static void run(Path database, PrintStream out) throws IOException {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(database)).build()) {
            Workspace ws = memory.workspace("acme");
            MemoryStore notes = ws.stores().create(NewStore.named("Project notes").build());
            Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id())));

            try (FileSystem fs = MemoryFileSystems.newFileSystem(session)) {
                Path mount = fs.getPath("/mnt/memory/project-notes");
                Path build = mount.resolve("build.md");
                Files.writeString(build, "Run mvn -B verify.\n");                     // creates /build.md
                Files.writeString(build, "Cache ~/.m2 on CI.\n", StandardOpenOption.APPEND); // one more version
                Files.createDirectories(mount.resolve("ci"));                         // as on any file system
                Files.writeString(mount.resolve("ci/flaky.md"), "PaymentRetryTest.\n");
                Files.move(build, mount.resolve("ci/build.md"));                       // a rename: same memory id

                try (Stream<Path> files = Files.walk(mount)) {
                    files.filter(Files::isRegularFile).sorted().forEach(p -> out.println(p + "  " + size(p)));
                }
                out.println(Files.readString(mount.resolve("ci/build.md")));
            }
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
