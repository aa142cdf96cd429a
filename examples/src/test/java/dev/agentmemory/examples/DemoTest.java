package dev.agentmemory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Workspace;
import dev.agentmemory.cli.Memctl;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.VersionQuery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the demo once into a temporary directory, then checks each step's facts in its output, in the SQLite file and
 * in the export, and runs every memctl command it printed against that file.
 */
class DemoTest {

    @TempDir
    static Path dir;
    static String out;
    static String err;
    static int exitCode;
    static Path database;

    @BeforeAll
    static void runDemo() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        exitCode = Demo.run(new String[] {"--dir", dir.toString()}, utf8(o), utf8(e));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        database = dir.resolve("agent-memory.db");
    }

    @Test
    void exitsZeroWithNumberedStepsAndSaysWhereItWrote() {
        assertThat(err).isEmpty();
        assertThat(exitCode).isZero();
        assertThat(out).contains("the stores live in the SQLite file " + database.toAbsolutePath());
        for (String step : List.of("1. Seeding.", "2. Session A: the memory tool.", "3. Session B: a checkout",
                "4. A write race.", "5. Audit trail.", "6. Redaction.", "7. Export.")) {
            assertThat(out).contains("\n" + step);
        }
        assertThat(out.lines().count()).isBetween(60L, 200L);
    }

    @Test
    void memoryToolCallsGetTheToolsExactTextsAndTheReadOnlyStoreRefuses() {
        assertThat(out).contains("File created successfully at: /memories/project-notes/build/flaky-tests.md");
        assertThat(out).contains("The file /memories/project-notes/build/flaky-tests.md has been edited.");
        assertThat(out).contains("Here's the content of /memories/project-notes/build/flaky-tests.md with line numbers:\n"
                + "          2\tOwner: payments team.\n"
                + "          3\tPaymentRetryTest fails under load: it shares a static clock.\n   Now the agent");
        assertThat(out).containsPattern("Error: create refused: /memories/conventions/ is attached read-only;"
                + " this session may read store memstore_\\w+ but not change it   \\[is_error\\]");
    }

    @Test
    void theShellEditsWerePushedAsOneRenameAndOneEdit() {
        assertThat(out).contains("   $ grep -rn tests project-notes conventions\n"
                + "     project-notes/build/flaky-tests.md:1:# Flaky tests\n");
        assertThat(out).contains("sync(): 2 pushed, 0 pulled, 0 conflicts, 0 refused, 0 errors");
        assertThat(out).contains("pushed modified project-notes/build/ci-cache.md (renamed from /inbox/ci-cache.md)");
        assertThat(Files.exists(dir.resolve("checkout/project-notes/build/ci-cache.md"))).isTrue();
    }

    @Test
    void theSqliteFileHoldsEachSessionsVersionsTheMergedRaceAndTheRedaction() throws Exception {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(database)).build()) {
            Workspace ws = memory.workspace("acme");
            Map<String, MemoryStore> stores = ws.stores().list(StoreQuery.firstPage()).items().stream()
                    .collect(Collectors.toMap(MemoryStore::name, s -> s));
            Actor operator = Actor.apiKey("apikey_ops");
            Memories conventions = ws.memories(stores.get("Conventions").id(), operator);
            Memories notes = ws.memories(stores.get("Project notes").id(), operator);

            // the read-only refusal wrote nothing: only the operator's two seeds
            List<MemoryVersion> seeded = all(conventions);
            assertThat(seeded).extracting(MemoryVersion::createdBy).containsOnly(operator);
            assertThat(seeded).extracting(v -> v.path().orElseThrow())
                    .containsExactly("/build.md", "/style/java.md");

            List<MemoryVersion> versions = all(notes);
            assertThat(versions).hasSize(10);
            Actor a = versions.stream().filter(v -> v.operation() == Operation.CREATED
                    && v.path().equals(java.util.Optional.of("/build/flaky-tests.md")))
                    .findFirst().orElseThrow().createdBy();
            Actor b = versions.stream().filter(v -> v.path().equals(java.util.Optional.of("/build/ci-cache.md")))
                    .findFirst().orElseThrow().createdBy();
            assertThat(a.type()).isEqualTo(Actor.Type.SESSION);
            assertThat(b.type()).isEqualTo(Actor.Type.SESSION);
            assertThat(a).isNotEqualTo(b);
            assertThat(versions).extracting(v -> v.createdBy() + " " + v.operation().wireName() + " "
                    + v.path().orElse("(redacted)")).containsExactly(
                    operator + " created /inbox/ci-cache.md",
                    a + " created /build/flaky-tests.md",          // create
                    a + " modified /build/flaky-tests.md",         // str_replace
                    a + " modified /build/flaky-tests.md",         // insert
                    b + " modified /build/ci-cache.md",            // mv, pushed by sync()
                    b + " modified /build/flaky-tests.md",         // echo >> and sed -i, pushed by sync()
                    a + " modified /build/flaky-tests.md",         // A wins the race
                    b + " modified /build/flaky-tests.md",         // B's retry after the precondition failed
                    b + " created (redacted)",                     // the leaked token, redacted
                    b + " modified /deploy.md");                   // the clean version

            // B's retry was a merge on top of A's write: A's content plus B's line, nothing lost
            MemoryVersion aWins = notes.version(versions.get(6).id());   // listings leave the content out
            MemoryVersion bRetry = notes.version(versions.get(7).id());
            assertThat(bRetry.content().orElseThrow())
                    .isEqualTo(aWins.content().orElseThrow() + "Seen again on CI run 4411.\n");
            assertThat(aWins.content().orElseThrow()).endsWith("Fixed by injecting the clock (PR 812).\n");
            // and the failure B saw carried the sha256 A had just written
            assertThat(out).contains("the note now has " + aWins.contentSha256().orElseThrow().substring(0, 12));

            MemoryVersion redacted = notes.version(versions.get(8).id());
            assertThat(redacted.isRedacted()).isTrue();
            assertThat(redacted.content()).isEmpty();
            assertThat(redacted.contentSha256()).isEmpty();
            assertThat(redacted.redactedBy()).contains(operator);
            Memory deploy = notes.getByPath("/deploy.md");
            assertThat(deploy.text()).isEqualTo("Deploy: ask the release manager for a token.\n");
        }
        assertThat(new String(Files.readAllBytes(database), StandardCharsets.ISO_8859_1)).doesNotContain(Demo.SECRET);
    }

    @Test
    void theExportHasTheStoreItsMemoriesAndVersionsAndNoSecret() throws Exception {
        Path export = dir.resolve("project-notes.jsonl");
        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        // the store, 3 memories, 10 versions, and the chain head that lets an import verify the history
        assertThat(lines).hasSize(15);
        assertThat(lines.get(14)).startsWith("{\"type\":\"memory_chain_head\"");
        assertThat(lines.get(0)).startsWith("{\"type\":\"memory_store\"").contains("\"name\":\"Project notes\"");
        assertThat(lines).filteredOn(l -> l.startsWith("{\"type\":\"memory\"")).hasSize(3);
        assertThat(lines).filteredOn(l -> l.startsWith("{\"type\":\"memory_version\"")).hasSize(10);
        assertThat(lines).filteredOn(l -> l.contains("\"redacted_at\":\"")).singleElement().asString()
                .contains("\"content\":null", "\"path\":null");
        assertThat(String.join("\n", lines)).doesNotContain(Demo.SECRET);
    }

    @Test
    void everyMemctlCommandItPrintsWorksOnTheDemosDatabase() throws Exception {
        List<List<String>> commands = printedMemctlCommands();
        assertThat(commands).hasSize(8);
        Map<String, String> outputs = new java.util.LinkedHashMap<>();
        for (List<String> command : commands) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int code = Memctl.run(command.toArray(String[]::new), new ByteArrayInputStream(new byte[0]), utf8(o),
                    utf8(e));
            assertThat(code).as("memctl %s: %s", command, e.toString(StandardCharsets.UTF_8)).isZero();
            outputs.put(String.join(" ", command.subList(4, command.size())), o.toString(StandardCharsets.UTF_8));
        }
        assertThat(outputs.get("stores list")).contains("Conventions", "Project notes");
        assertThat(outputs.get("cat Project notes /build/flaky-tests.md"))
                .isEqualTo("# Flaky tests\nOwner: payments team.\nPaymentRetryTest fails under load: it shares a"
                        + " static clock.\nRetry budget: 3 reruns on CI.\nFixed by injecting the clock (PR 812).\n"
                        + "Seen again on CI run 4411.\n");
        assertThat(outputs.get("ls Project notes")).contains("/build/ci-cache.md", "/build/flaky-tests.md")
                .doesNotContain("/inbox/");
        assertThat(outputs.get("log Project notes /build/flaky-tests.md").lines()).hasSize(1 + 6);
        assertThat(outputs.get("log Project notes /deploy.md")).contains("(redacted)");
        assertThat(Files.readAllLines(dir.resolve("project-notes-memctl.jsonl"))).hasSize(15);
    }

    @Test
    void refusesANonEmptyDirectoryAndUnknownArgumentsWithExitCode2(@TempDir Path other) throws Exception {
        Files.writeString(other.resolve("keep.txt"), "mine");
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        assertThat(Demo.run(new String[] {"--dir", other.toString()}, utf8(new ByteArrayOutputStream()), utf8(e)))
                .isEqualTo(2);
        assertThat(e.toString(StandardCharsets.UTF_8)).contains("is not an empty directory");
        assertThat(Files.list(other).count()).isEqualTo(1);
        assertThat(Demo.run(new String[] {"--verbose"}, utf8(new ByteArrayOutputStream()), utf8(e))).isEqualTo(2);
        assertThat(e.toString(StandardCharsets.UTF_8)).contains("unknown or incomplete argument '--verbose'");
    }

    @Test
    void aFailingStepExitsWith1AndSaysWhichStep(@TempDir Path other) throws Exception {
        // bash cannot be found on this PATH, so step 3 fails; run the demo as its own process to see the exit code
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Demo.class.getName(), "--dir", other.resolve("out").toString());
        pb.environment().put("PATH", other.toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(stderr).contains("demo FAILED in step 3 (Session B: a checkout and the shell)")
                .contains("bash");
    }

    /** The memctl lines as the demo printed them, parsed back (the demo also remembers them; both must agree). */
    private static List<List<String>> printedMemctlCommands() {
        List<List<String>> parsed = new ArrayList<>();
        for (String line : out.lines().filter(l -> l.startsWith("   see it: java -jar memctl/target/memctl.jar "))
                .toList()) {
            parsed.add(shellWords(line.substring("   see it: java -jar memctl/target/memctl.jar ".length())));
        }
        return parsed;
    }

    /** Splits a command line the way sh does for plain words and single-quoted words. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }

    private static List<MemoryVersion> all(Memories m) {
        List<MemoryVersion> versions = new ArrayList<>(m.versions(VersionQuery.builder().limit(100).build()).items());
        java.util.Collections.reverse(versions); // the store lists newest first
        return versions;
    }

    private static PrintStream utf8(ByteArrayOutputStream o) {
        return new PrintStream(o, true, StandardCharsets.UTF_8);
    }
}
