package dev.agentmemory.examples;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.PreconditionFailedException;
import dev.agentmemory.ProgressListener;
import dev.agentmemory.ReadOnlyException;
import dev.agentmemory.Session;
import dev.agentmemory.Memories;
import dev.agentmemory.Workspace;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.VersionQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo: two agent sessions share a read-only conventions store and a read-write project-notes store, race on one
 * note, and leave an audit trail that an operator redacts and exports. Every step says what happened.
 *
 * <p>Run it with {@code java -jar examples/target/agent-memory-demo.jar [output-dir]}.
 */
public final class Demo {

    private final PrintStream out;
    private int step;

    Demo(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the demo.
     *
     * @param args an optional directory for the export; a new temporary directory otherwise
     * @throws IOException if the export cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("agent-memory-demo");
        new Demo(System.out).run(dir);
    }

    void run(Path dir) throws IOException {
        Files.createDirectories(dir);
        out.println("agent-memory demo: output goes to " + dir.toAbsolutePath());
        Path database = dir.resolve("agent-memory.db");
        Files.deleteIfExists(database);
        out.println("stores live in the SQLite file " + database.toAbsolutePath() + " (inspect it with sqlite3)");
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(database)).build()) {
            Workspace ws = memory.workspace("acme");
            Actor operator = Actor.apiKey("apikey_ops");

            say("An operator creates two stores and seeds the read-only one with the team's conventions.");
            MemoryStore conventions = ws.stores().create(NewStore.named("Conventions")
                    .description("How this team builds, tests and writes Java.").build());
            MemoryStore notes = ws.stores().create(NewStore.named("Project notes")
                    .description("What agents learned while working on the payments service.").build());
            Memories seed = ws.memories(conventions.id(), operator);
            seed.create("/build.md", "Build with `mvn -B verify`; never skip tests on main.\n");
            seed.create("/style/java.md", "Immutable value types, no nulls in APIs, one exception root.\n");
            show("stores: " + conventions.id() + " (Conventions), " + notes.id() + " (Project notes)");

            say("Session A starts with Conventions read-only and Project notes read-write."
                    + " Its system prompt tells the agent where each store is mounted.");
            Session a = ws.sessions().create(List.of(
                    AttachmentSpec.readOnly(conventions.id()),
                    AttachmentSpec.readWrite(notes.id())
                            .withInstructions("Record what you learn about the build, one topic per file.")));
            show(a.systemPrompt());

            say("Session A reads the conventions and writes what it learned into its notes.");
            Memories aNotes = a.mount("project-notes");
            String build = a.mount("conventions").getByPath("/build.md").text();
            show("read /mnt/memory/conventions/build.md: " + build.strip());
            Memory flaky = aNotes.create("/build/flaky-tests.md",
                    "PaymentRetryTest is flaky under load.\n");
            show("created " + flaky.path() + " as " + flaky.id() + ", sha256 " + flaky.contentSha256());

            say("Session A tries to change a convention: the read-only mount refuses, and nothing is written.");
            try {
                a.mount("conventions").create("/style/shortcuts.md", "Skip tests when in a hurry.");
                throw new IllegalStateException("a read-only mount accepted a write");
            } catch (ReadOnlyException e) {
                show("refused: " + e.getMessage());
            }

            say("Session B starts on the same stores. A and B both read the flaky-tests note, then both edit it.");
            Session b = ws.sessions().create(List.of(
                    AttachmentSpec.readOnly(conventions.id()), AttachmentSpec.readWrite(notes.id())));
            Memories bNotes = b.mount("project-notes");
            Memory readByA = aNotes.getByPath("/build/flaky-tests.md");
            Memory readByB = bNotes.getByPath("/build/flaky-tests.md");
            aNotes.update(readByA.id(), MemoryUpdate.content(readByA.text() + "Cause: a shared static clock.\n")
                    .ifContentSha256(readByA.contentSha256()));
            show("A wrote first, on condition that the content still had sha256 " + readByA.contentSha256());
            try {
                bNotes.update(readByB.id(), MemoryUpdate.content(readByB.text() + "Seen again on CI run 4411.\n")
                        .ifContentSha256(readByB.contentSha256()));
                throw new IllegalStateException("a stale conditional write succeeded");
            } catch (PreconditionFailedException e) {
                show("B's write was refused: the note changed since B read it (now " + e.currentSha256() + ").");
                Memory fresh = bNotes.get(readByB.id());
                bNotes.update(fresh.id(), MemoryUpdate.content(fresh.text() + "Seen again on CI run 4411.\n")
                        .ifContentSha256(fresh.contentSha256()));
                show("B re-read the note, applied its line to the new content and retried: no update was lost.");
            }
            show(bNotes.get(readByB.id()).text().strip());

            say("A reorganises its notes: the whole /build/ directory moves to /ci/ in one atomic step.");
            aNotes.create("/build/cache.md", "The Maven cache lives in ~/.m2; CI restores it.\n");
            for (Memory m : aNotes.move("/build/", "/ci/")) {
                show("moved " + m.id() + " -> " + m.path());
            }
            for (ListEntry e : aNotes.list(ListQuery.under("/").depth(1).build()).items()) {
                show("ls /mnt/memory/project-notes" + e.path());
            }

            say("The audit trail: every change is a version attributed to the session that made it.");
            for (Session s : List.of(a, b)) {
                for (MemoryVersion v : aNotes.versions(VersionQuery.builder().session(s.id()).build()).items()) {
                    show(s.id() + "  " + v.operation().wireName() + "  " + v.path().orElse("?") + "  " + v.id());
                }
            }

            say("A leaks a secret into a note. The operator writes a clean version, then redacts the leaky one.");
            Memory leaky = aNotes.create("/ci/deploy.md", "Deploy token: tok_live_4f9a2c\n");
            Memory clean = ws.memories(notes.id(), operator).update(leaky.id(),
                    MemoryUpdate.content("Deploy token: ask the release manager.\n"));
            MemoryVersion redacted = ws.stores().redact(notes.id(), leaky.headVersionId(), operator);
            show("version " + redacted.id() + " redacted at " + redacted.redactedAt().orElseThrow()
                    + ": content present? " + redacted.content().isPresent() + ", operation still "
                    + redacted.operation().wireName() + " by " + redacted.createdBy());
            show("the memory's head is the clean version " + clean.headVersionId());

            say("The operator exports Project notes as JSON Lines and restores it into a second database file.");
            Path export = dir.resolve("project-notes.jsonl");
            TransferSummary exported;
            try (OutputStream o = Files.newOutputStream(export)) {
                exported = ws.stores().exportStore(notes.id(), o, ProgressListener.NONE);
            }
            show("exported " + exported.memories() + " memories and " + exported.versions() + " versions to "
                    + export.toAbsolutePath());
            boolean secretGone = !Files.readString(export, StandardCharsets.UTF_8).contains("tok_live_4f9a2c");
            show("the redacted secret is absent from the export: " + secretGone);
            TransferSummary restored;
            Path backupFile = dir.resolve("backup.db");
            Files.deleteIfExists(backupFile);
            try (InputStream in = Files.newInputStream(export);
                    AgentMemory backup = AgentMemory.builder().backend(JdbcBackend.sqlite(backupFile)).build()) {
                restored = backup.workspace("acme").stores().importStore(in, ProgressListener.NONE);
                Memory copy = backup.workspace("acme").memories(notes.id(), operator).get(flaky.id());
                show("imported " + restored.memories() + " memories and " + restored.versions()
                        + " versions; same ids: " + copy.id() + " is at " + copy.path());
            }

            say("Finally the operator archives Conventions: it stays readable, and becomes read-only for everyone.");
            ws.stores().archive(conventions.id());
            try {
                ws.memories(conventions.id(), operator).create("/new.md", "too late");
                throw new IllegalStateException("an archived store accepted a write");
            } catch (ReadOnlyException e) {
                show("refused: " + e.getMessage());
            }
            show(a.mount("conventions").getByPath("/style/java.md").text().strip());
            if (!secretGone) {
                throw new IllegalStateException("the redacted secret leaked into the export");
            }
        }
        out.println();
        out.println("Done. The export is at " + dir.resolve("project-notes.jsonl").toAbsolutePath());
    }

    private void say(String what) {
        out.println();
        out.println(++step + ". " + what);
    }

    private void show(String what) {
        for (String line : what.split("\n", -1)) {
            out.println("   " + line);
        }
    }
}
