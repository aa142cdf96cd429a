package dev.agentmemory.examples;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.checkout.Checkout;
import dev.agentmemory.checkout.SyncReport;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory checkout: a session's mounts as real files under {@code <dir>/<slug>/}, for tools that only know
 * files. {@link Checkout#sync()} pushes local edits as versions attributed to the session and pulls what others wrote
 * (here in two syncs, one each way).
 */
public final class CheckoutExample {

    private CheckoutExample() {
    }

    /**
     * Runs the example in a new temporary directory, or in {@code args[0]} (missing or empty).
     *
     * @param args an optional working directory
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        run(args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("checkout"), System.out);
    }

    /**
     * Runs the example: the database is {@code dir/memory.db}, the checkout {@code dir/checkout}.
     *
     * @param dir a working directory
     * @param out where to print
     * @return what the two syncs did
     * @throws IOException if a file cannot be written
     */
    public static List<SyncReport> run(Path dir, PrintStream out) throws IOException {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(dir.resolve("memory.db"))).build()) {
            Workspace ws = memory.workspace("acme");
            MemoryStore notes = ws.stores().create(NewStore.named("Project notes").build());
            Memories operator = ws.memories(notes.id(), Actor.user("alice"));
            Memory build = operator.create("/build.md", "Run mvn -B verify.\n");
            Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id())));

            try (Checkout checkout = Checkout.create(session, dir.resolve("checkout"))) {
                Path files = checkout.mountDirectory("project-notes");        // <dir>/checkout/project-notes
                Files.writeString(files.resolve("todo.md"), "Fix PaymentRetryTest.\n"); // any tool could do this
                SyncReport pushed = checkout.sync();                          // the new file becomes a version
                pushed.pushed().forEach(p -> out.println("pushed " + p.operation().wireName() + " " + p.path()));

                operator.update(build.id(), MemoryUpdate.content("Run mvn -B verify before pushing.\n"));
                SyncReport pulled = checkout.sync();                          // another writer's change comes in
                pulled.pulled().forEach(p -> out.println("pulled " + p.operation().wireName() + " " + p.path()));
                out.println("build.md now reads: " + Files.readString(files.resolve("build.md")).strip());
                return List.of(pushed, pulled);
            }
        }
    }
}
