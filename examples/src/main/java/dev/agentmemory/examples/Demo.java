package dev.agentmemory.examples;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.ProgressListener;
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
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.tool.MemoryTool;
import dev.agentmemory.tool.ToolResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The demo, the README's main command: two scripted agent sessions share a read-only "Conventions" store and a
 * read-write "Project notes" store in one SQLite file. Session A works through Claude's memory tool, session B through
 * a directory checkout edited with real shell commands; they race on one note (a sha256 precondition catches it and B
 * retries), each leaves an audit trail, a leaked secret is redacted, and the store is exported as JSON Lines. Each
 * step says what happened and prints the {@code memctl} command that shows it.
 *
 * <pre>
 * java -jar examples/target/agent-memory-demo.jar [--dir DIR]
 * </pre>
 *
 * <p>Needs {@code bash}, {@code sed}, {@code mv} and {@code grep} on the {@code PATH} (step 3). Exit code 0 on
 * success, 1 if a step failed (the message names the step), 2 for bad arguments.
 */
public final class Demo {

    /** The secret session B leaks by mistake in step 6; it must be gone from the database and the export. */
    static final String SECRET = "tok_live_4f9a2c";

    private static final int WIDTH = 110;
    private static final String MEMCTL = "java -jar memctl/target/memctl.jar";
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private final PrintStream out;
    private final Path dir;
    private final Path database;
    private int step;
    private String stepTitle = "start";

    /** A demo that prints to {@code out} and writes into {@code dir}. */
    Demo(PrintStream out, Path dir) {
        this.out = out;
        this.dir = dir.toAbsolutePath();
        this.database = this.dir.resolve("agent-memory.db");
    }

    /**
     * Runs the demo and exits with its exit code.
     *
     * @param args {@code --dir DIR} to write into DIR (missing or empty) instead of a new temporary directory
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Parses the arguments and runs the demo.
     *
     * @param args the command line
     * @param out the steps
     * @param err usage errors and the failing step
     * @return the exit code: 0 ok, 1 a step failed, 2 bad arguments
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.println("usage: java -jar agent-memory-demo.jar [--dir DIR]");
                out.println("  --dir DIR  write the SQLite file, the checkout and the export into DIR (missing or empty);");
                out.println("             default: a new temporary directory, printed and kept for memctl");
                return 0;
            } else if (args[i].equals("--dir") && i + 1 < args.length) {
                dir = Path.of(args[++i]);
            } else {
                err.println("demo: unknown or incomplete argument '" + args[i] + "'; usage: [--dir DIR] [--help]");
                return 2;
            }
        }
        Demo demo;
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("agent-memory-demo");
            } else if (Files.exists(dir) && !isEmptyDirectory(dir)) {
                err.println("demo: " + dir.toAbsolutePath() + " is not an empty directory; give a new or empty one");
                return 2;
            }
            demo = new Demo(out, dir);
        } catch (IOException e) {
            err.println("demo: cannot create the output directory: " + e.getMessage());
            return 2;
        }
        try {
            demo.run();
            return 0;
        } catch (Exception e) {
            out.flush();
            err.println("demo FAILED in step " + demo.step + " (" + demo.stepTitle + "): " + e);
            return 1;
        }
    }

    /** Runs every step; throws on the first one that does not do what it says. */
    void run() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        out.println("agent-memory demo");
        out.println("  everything it writes goes to " + dir + " (kept; delete it when done)");
        out.println("  the stores live in the SQLite file " + database + " (the embedded default)");
        out.println("  the memctl commands below run from the repository root");
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(database)).build()) {
            Workspace ws = memory.workspace("acme");
            Actor operator = Actor.apiKey("apikey_ops");

            say("Seeding", "An operator (api_key:apikey_ops) creates two stores in workspace acme and seeds them."
                    + " Agents will get Conventions read-only and Project notes read-write.");
            MemoryStore conventions = ws.stores().create(NewStore.named("Conventions")
                    .description("How this team builds, tests and writes Java.").build());
            MemoryStore notes = ws.stores().create(NewStore.named("Project notes")
                    .description("What agents learned while working on the payments service.").build());
            Memories seed = ws.memories(conventions.id(), operator);
            seed.create("/build.md", "Build with `mvn -B verify`; never skip tests on main.\n");
            seed.create("/style/java.md", "Immutable value types, no nulls in APIs, one exception root.\n");
            ws.memories(notes.id(), operator).create("/inbox/ci-cache.md", "CI restores ~/.m2 from its cache.\n");
            show(conventions.id() + "  Conventions    2 memories");
            show(notes.id() + "  Project notes  1 memory (/inbox/ci-cache.md)");
            memctl("stores", "list");

            say("Session A: the memory tool", "Session A's agent uses Claude's memory tool over both of its"
                    + " stores: /memories/conventions/ (read-only) and /memories/project-notes/ (read-write). These"
                    + " are the tool calls a model would make, and the exact text it gets back.");
            List<AttachmentSpec> attachments = List.of(AttachmentSpec.readOnly(conventions.id()),
                    AttachmentSpec.readWrite(notes.id()).withInstructions("One topic per file."));
            Session a = ws.sessions().create(attachments);
            show("session " + a.id());
            MemoryTool tool = MemoryTool.of(a); // every attachment; tool.systemPrompt() tells the model these paths
            String flakyPath = "/memories/project-notes/build/flaky-tests.md";
            call(tool, "{\"command\":\"view\",\"path\":\"/memories\"}", false);
            call(tool, "{\"command\":\"create\",\"path\":\"" + flakyPath + "\",\"file_text\":"
                    + "\"# Flaky tests\\nPaymentRetryTest fails under load.\\n\"}", false);
            call(tool, "{\"command\":\"str_replace\",\"path\":\"" + flakyPath + "\",\"old_str\":\"under load.\","
                    + "\"new_str\":\"under load: it shares a static clock.\"}", false);
            call(tool, "{\"command\":\"insert\",\"path\":\"" + flakyPath + "\",\"insert_line\":1,"
                    + "\"insert_text\":\"Owner: payments team.\\n\"}", false);
            call(tool, "{\"command\":\"view\",\"path\":\"" + flakyPath + "\",\"view_range\":[2,3]}", false);
            show("Now the agent tries to add a shortcut to the read-only Conventions: refused, nothing written.");
            call(tool, "{\"command\":\"create\",\"path\":\"/memories/conventions/style/shortcuts.md\","
                    + "\"file_text\":\"Skip tests when in a hurry.\\n\"}", true);
            memctl("cat", "Project notes", "/build/flaky-tests.md");

            say("Session B: a checkout and the shell", "Session B checks its mounts out as a real directory, edits"
                    + " it with ordinary shell commands, then sync() turns the edits into versions.");
            Session b = ws.sessions().create(attachments);
            Path checkoutDir = dir.resolve("checkout");
            show("session " + b.id() + ", checkout " + checkoutDir);
            try (Checkout checkout = Checkout.create(b, checkoutDir)) {
                shell(checkoutDir, "echo 'Retry budget: 2 reruns on CI.' >> project-notes/build/flaky-tests.md");
                shell(checkoutDir, "sed -i.bak 's/2 reruns/3 reruns/' project-notes/build/flaky-tests.md"
                        + " && rm project-notes/build/flaky-tests.md.bak");
                shell(checkoutDir, "mv project-notes/inbox/ci-cache.md project-notes/build/ci-cache.md");
                shell(checkoutDir, "grep -rn tests project-notes conventions");
                SyncReport report = checkout.sync();
                show("sync(): " + report.pushed().size() + " pushed, " + report.pulled().size() + " pulled, "
                        + report.conflicts().size() + " conflicts, " + report.refused().size() + " refused, "
                        + report.errors().size() + " errors");
                for (SyncReport.Pushed p : report.pushed()) {
                    show("  pushed " + p.operation().wireName() + " " + p.mount() + p.path()
                            + p.previousPath().map(from -> " (renamed from " + from + ")").orElse("")
                            + p.versionId().map(v -> " as " + v).orElse(""));
                }
                check(report.isClean() && report.pushed().size() == 2, "the sync should push 2 changes cleanly");
            }
            memctl("ls", "Project notes");

            say("A write race", "A and B both read /build/flaky-tests.md, then both append a line, each on"
                    + " condition that the content still has the sha256 it read.");
            Memories aNotes = a.mount("project-notes");
            Memories bNotes = b.mount("project-notes");
            Memory readByA = aNotes.getByPath("/build/flaky-tests.md");
            Memory readByB = bNotes.getByPath("/build/flaky-tests.md");
            Memory afterA = aNotes.update(readByA.id(), MemoryUpdate.content(readByA.text()
                    + "Fixed by injecting the clock (PR 812).\n").ifContentSha256(readByA.contentSha256()));
            show("A writes first: ok, version " + afterA.headVersionId());
            String bLine = "Seen again on CI run 4411.\n";
            try {
                bNotes.update(readByB.id(), MemoryUpdate.content(readByB.text() + bLine)
                        .ifContentSha256(readByB.contentSha256()));
                throw new IllegalStateException("a stale conditional write succeeded");
            } catch (PreconditionFailedException e) {
                show("B's write is refused (PreconditionFailedException): B read sha256 "
                        + abbreviate(readByB.contentSha256()) + ", the note now has " + abbreviate(e.currentSha256()));
                Memory fresh = bNotes.get(readByB.id());
                Memory merged = bNotes.update(fresh.id(), MemoryUpdate.content(fresh.text() + bLine)
                        .ifContentSha256(fresh.contentSha256()));
                show("B re-reads, appends its line to the new content and retries: ok, version "
                        + merged.headVersionId() + ". Nothing was lost:");
                show(indent(merged.text()));
            }
            memctl("log", "Project notes", "/build/flaky-tests.md");

            say("Audit trail", "Every change is a version attributed to the session that made it."
                    + " What each session wrote, oldest first:");
            for (Session s : List.of(a, b)) {
                List<MemoryVersion> versions = new ArrayList<>(aNotes.versions(
                        VersionQuery.builder().session(s.id()).limit(100).build()).items());
                java.util.Collections.reverse(versions);
                show((s == a ? "A " : "B ") + s.id() + ":");
                for (MemoryVersion v : versions) {
                    show(String.format("  %-9s %-22s %s  %s", v.operation().wireName(), v.path().orElse("?"),
                            v.createdBy(), v.createdAt()));
                }
                memctl("log", "Project notes", "--session", s.id().toString());
            }

            say("Redaction", "B pastes a deploy token into a note by mistake. It writes a clean version, and the"
                    + " operator redacts the leaky one: the version stays in the history, its content is erased.");
            Memory leaky = bNotes.create("/deploy.md", "Deploy with token " + SECRET + "\n");
            Memory clean = bNotes.update(leaky.id(), MemoryUpdate.content("Deploy: ask the release manager for"
                    + " a token.\n").ifContentSha256(leaky.contentSha256()));
            dev.agentmemory.model.RedactionReport report =
                    ws.stores().redact(notes.id(), leaky.headVersionId(), operator);
            MemoryVersion redacted = aNotes.version(leaky.headVersionId());
            show("leaky version " + redacted.id() + " (" + redacted.operation().wireName() + " by "
                    + redacted.createdBy() + ")\n  redacted " + redacted.isRedacted() + " by "
                    + redacted.redactedBy().orElseThrow() + "; content present " + redacted.content().isPresent()
                    + ", path present " + redacted.path().isPresent());
            show("the memory's current version " + clean.headVersionId() + " has the clean text");
            show("physical erasure: " + report.erasure().state().wireName() + " (" + report.erasure().detail() + ")");
            check(redacted.isRedacted() && redacted.content().isEmpty(), "the redacted version still has content");
            memctl("log", "Project notes", "/deploy.md");

            say("Export", "The operator exports Project notes as JSON Lines: the store, each memory, each version"
                    + " (the redacted one without content). memctl import restores it elsewhere with the same ids.");
            Path export = dir.resolve("project-notes.jsonl");
            TransferSummary exported;
            try (OutputStream o = Files.newOutputStream(export)) {
                exported = ws.stores().exportStore(notes.id(), o, ProgressListener.NONE);
            }
            String jsonl = Files.readString(export, StandardCharsets.UTF_8);
            show("wrote " + export + ": " + jsonl.lines().count() + " lines, " + exported.memories()
                    + " memories and " + exported.versions() + " versions");
            check(!jsonl.contains(SECRET), "the redacted secret leaked into the export");
            memctl("export", "Project notes", "-o", dir.resolve("project-notes-memctl.jsonl").toString());
        }
        String dbBytes = new String(Files.readAllBytes(database), StandardCharsets.ISO_8859_1);
        check(!dbBytes.contains(SECRET), "the redacted secret is still in the SQLite file");
        show("the leaked token is neither in the export nor anywhere in the SQLite file (checked byte by byte)");
        out.println();
        out.println("Done. Look around with memctl (java -jar memctl/target/memctl.jar --help), or run again with"
                + " --dir DIR.");
    }

    /** Sends one tool_use input to the memory tool, prints the call and the tool_result text. */
    private void call(MemoryTool tool, String inputJson, boolean expectError) {
        ToolResult r = tool.execute(inputJson);
        show("> " + inputJson);
        show(indent(r.text()) + (r.isError() ? "   [is_error]" : ""));
        check(r.isError() == expectError, "the tool " + (expectError ? "accepted" : "refused") + " " + inputJson);
    }

    /** Runs one command line with {@code bash -c} in the checkout, prints it and its output, fails on non-zero. */
    private void shell(Path cwd, String command) throws IOException, InterruptedException {
        show("$ " + command);
        Process p = new ProcessBuilder("bash", "-c", command).directory(cwd.toFile()).redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (!output.isEmpty()) {
            show(indent(output.stripTrailing()));
        }
        check(code == 0, "'" + command + "' exited with " + code);
    }

    /** Prints the memctl command line that shows the step's result, (DemoTest runs each printed line). */
    private void memctl(String... command) {
        List<String> args = new ArrayList<>(List.of("--db", database.toString(), "-w", "acme"));
        args.addAll(List.of(command));
        StringBuilder line = new StringBuilder(MEMCTL);
        for (String arg : args) {
            line.append(' ').append(PLAIN_WORD.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        show("see it: " + line);
    }

    private void say(String title, String what) {
        stepTitle = title;
        out.println();
        String prefix = ++step + ". ";
        StringBuilder line = new StringBuilder(prefix + title + ".");
        for (String word : what.split(" ")) {
            if (line.length() + 1 + word.length() > WIDTH) {
                out.println(line);
                line = new StringBuilder(" ".repeat(prefix.length()));
            } else {
                line.append(' ');
            }
            line.append(word);
        }
        out.println(line);
    }

    private void show(String what) {
        for (String line : what.split("\n", -1)) {
            out.println("   " + line);
        }
    }

    private static String indent(String text) {
        return ("  " + text.stripTrailing()).replace("\n", "\n  ");
    }

    private static String abbreviate(String sha) {
        return sha.substring(0, 12) + "...";
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
