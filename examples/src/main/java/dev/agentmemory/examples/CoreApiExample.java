package dev.agentmemory.examples;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The core API on one page: open the embedded SQLite backend, create a store, start a session with it attached
 * read-write, create a memory, update it on a sha256 precondition, watch a stale write be refused, and read the
 * memory's audit trail.
 */
public final class CoreApiExample {

    private CoreApiExample() {
    }

    /**
     * Runs the example on a SQLite file.
     *
     * @param args an optional database file; a new temporary one otherwise
     * @throws IOException if the temporary directory cannot be created
     */
    public static void main(String[] args) throws IOException {
        run(args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("core-api").resolve("memory.db"),
                System.out);
    }

    /**
     * Runs the example and prints what it did.
     *
     * @param database the SQLite file (created if missing)
     * @param out where to print
     */
    public static void run(Path database, PrintStream out) {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(database)).build()) {
            Workspace ws = memory.workspace("acme");
            MemoryStore notes = ws.stores().create(
                    NewStore.named("Project notes").description("What we learned about the build").build());

            Session session = ws.sessions().create(List.of(
                    AttachmentSpec.readWrite(notes.id()).withInstructions("One topic per file.")));
            out.println(session.systemPrompt()); // tells the agent about /mnt/memory/project-notes/

            Memories mount = session.mount("project-notes");
            Memory created = mount.create("/build.md", "Run mvn -B verify.\n");
            Memory updated = mount.update(created.id(), MemoryUpdate.content("Run mvn -B verify before pushing.\n")
                    .ifContentSha256(created.contentSha256())); // only if nobody wrote in between
            out.println("updated " + updated.path() + ", sha256 " + updated.contentSha256());

            try { // a writer that still holds the old sha256 is refused, and nothing is written
                mount.update(created.id(), MemoryUpdate.content("Skip the tests.\n")
                        .ifContentSha256(created.contentSha256()));
            } catch (PreconditionFailedException e) {
                out.println("stale write refused; the current sha256 is " + e.currentSha256());
            }

            for (MemoryVersion v : mount.versions(VersionQuery.ofMemory(created.id()).build()).items()) {
                out.println(v.operation().wireName() + " " + v.path().orElse("") + " by " + v.createdBy());
            }
        }
    }
}
