package dev.agentmemory.cli;

import static dev.agentmemory.cli.MemctlProcess.withDb;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.Memories;
import dev.agentmemory.cli.MemctlProcess.Result;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code java -jar memctl.jar grep} on a SQLite file and compares its output with the real {@code grep} run over
 * the same memories written out as files; checks grep's exit codes (0 match, 1 none, 2 error) and that a concurrent
 * {@code memctl write} of one new path creates it once.
 */
class MemctlGrepIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> MEMORIES = Map.of(
            "/notes/build.md", "Use mvn -B verify\nthe build takes 3 minutes\nBUILD on Java 17\n",
            "/notes/deep/todo.md", "todo: fix the build\nnothing else",
            "/people/alice.txt", "Alice builds the release\nrebuild on Fridays",
            "/readme.md", "no match in here\n");

    @TempDir
    Path dir;

    private StoreId store;

    private Path db() {
        return dir.resolve("memory.db");
    }

    @BeforeEach
    void createStore() throws IOException {
        store = withDb(db(), ws -> {
            StoreId id = ws.stores().create(NewStore.named("notes").build()).id();
            Memories m = ws.memories(id, Actor.user("setup"));
            MEMORIES.forEach(m::create);
            return id;
        });
        for (Map.Entry<String, String> e : MEMORIES.entrySet()) {
            Path f = dir.resolve("tree" + e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
    }

    private Result memctl(String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db().toString(), "--actor", "user:alice"));
        all.addAll(Arrays.asList(args));
        return MemctlProcess.run(dir, Map.of(), new byte[0], all);
    }

    /** The real grep over the files, run recursively from the tree, with paths made absolute like the store's. */
    private List<String> grep(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("grep", "-r"));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).directory(dir.resolve("tree").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("grep %s: %s", cmd, out).isLessThan(2);
        return out.lines().map(l -> l.startsWith("./") ? l.substring(1) : "/" + l)
                .filter(l -> !l.endsWith(":0")).sorted().toList();
    }

    private static List<String> sorted(Result r) {
        return r.out().lines().sorted().toList();
    }

    @Test
    void printsWhatGrepPrintsForTheSameFiles() throws Exception {
        assertThat(sorted(memctl("grep", "notes", "build").assertOk())).isEqualTo(grep("-F", "build", "."))
                .hasSize(4);
        assertThat(sorted(memctl("grep", "-n", "-i", "notes", "BUILD").assertOk()))
                .isEqualTo(grep("-n", "-i", "-F", "BUILD", "."));
        assertThat(sorted(memctl("grep", "-l", "notes", "build").assertOk())).isEqualTo(grep("-l", "-F", "build",
                "."));
        assertThat(sorted(memctl("grep", "-c", "-i", "notes", "build").assertOk()))
                .isEqualTo(grep("-c", "-i", "-F", "build", "."));
        assertThat(sorted(memctl("grep", "-E", "-n", "notes", "^[a-z]+ ?build").assertOk()))
                .isEqualTo(grep("-E", "-n", "^[a-z]+ ?build", "."));
        assertThat(sorted(memctl("grep", "-n", "notes", "build", "/notes/").assertOk()))
                .isEqualTo(grep("-n", "-F", "build", "notes").stream().map(l -> l.substring(1)).map(l -> "/" + l)
                        .map(l -> l.replaceFirst("^/+", "/")).sorted().toList());
        assertThat(sorted(memctl("grep", "--glob", "*.txt", "notes", "build").assertOk()))
                .isEqualTo(grep("--include=*.txt", "-F", "build", "."));
    }

    @Test
    void outputIsInPathAndLineOrderAndJsonCarriesTheSpans() throws Exception {
        assertThat(memctl("grep", "-n", "notes", "build").assertOk().out()).isEqualTo(String.join("\n",
                "/notes/build.md:2:the build takes 3 minutes",
                "/notes/deep/todo.md:1:todo: fix the build",
                "/people/alice.txt:1:Alice builds the release",
                "/people/alice.txt:2:rebuild on Fridays") + "\n");
        assertThat(memctl("grep", "-m", "2", "notes", "build").assertOk().out().lines()).hasSize(2);
        JsonNode json = JSON.readTree(memctl("--json", "grep", "notes", "build", "/people/").assertOk().out());
        assertThat(json).hasSize(2);
        assertThat(json.get(1).get("path").asText()).isEqualTo("/people/alice.txt");
        assertThat(json.get(1).get("line_number").asInt()).isEqualTo(2);
        assertThat(json.get(1).get("spans").get(0).get(0).asInt()).isEqualTo(2);
        assertThat(json.get(1).get("spans").get(0).get(1).asInt()).isEqualTo(7);
        assertThat(json.get(1).get("memory_id").asText()).startsWith("mem_");
    }

    @Test
    void exitCodesAreGreps() {
        Result none = memctl("grep", "notes", "zebra");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEmpty();
        assertThat(memctl("--json", "grep", "notes", "zebra").exit()).isEqualTo(1);
        memctl("grep", "-E", "notes", "a(b").assertFails(2, "regular expression is not valid");
        memctl("grep", "nosuchstore", "x").assertFails(2, "nosuchstore");
        memctl("grep", "notes", "x", "relative/").assertFails(2, "relative");
        memctl("grep", "-E", "-F", "notes", "x").assertFails(2, "-E and -F");
        memctl("grep", "notes").assertFails(2, "PATTERN");
        Result json = memctl("--json", "grep", "-E", "notes", "a(b");
        assertThat(json.exit()).isEqualTo(2);
        assertThat(json.err()).contains("\"exit_code\":2");
    }

    @Test
    void aPathologicalRegexIsStoppedWithAnError() {
        withDb(db(), ws -> ws.memories(store, Actor.user("setup")).create("/aaa.md", "a".repeat(40)));
        memctl("grep", "-E", "notes", "((a+)+)+b").assertFails(2, "was stopped");
    }

    /** Several processes write one new path at once: one creates it, the others update it; none fails. */
    @Test
    void concurrentWritesOfANewPathCreateItOnce() throws Exception {
        int writers = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        List<java.util.concurrent.Future<Result>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            byte[] content = ("writer " + w).getBytes(StandardCharsets.UTF_8);
            results.add(pool.submit(() -> MemctlProcess.run(dir, Map.of(), content, List.of("--db", db().toString(),
                    "--actor", "user:alice", "write", "notes", "/new/race.md"))));
        }
        List<String> outcomes = new ArrayList<>();
        try {
            for (java.util.concurrent.Future<Result> f : results) {
                outcomes.add(f.get(5, TimeUnit.MINUTES).assertOk().out().split(" ")[0]);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(outcomes).filteredOn("created"::equals).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.equals("updated") || o.equals("unchanged")).hasSize(writers - 1);
        Long found = withDb(db(), ws -> ws.memories(store, Actor.user("setup")).search(
                dev.agentmemory.model.SearchQuery.literal("writer").pathPrefix("/new/").build()).count());
        assertThat(found).as("one memory at the path").isEqualTo(1L);
    }
}
