package dev.agentmemory.cli;

import static dev.agentmemory.cli.MemctlProcess.withDb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.cli.MemctlProcess.Result;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memctl redact} says plainly when erased bytes remain: with a real {@code sqlite3} shell holding a read
 * transaction open on the database, it returns promptly with exit code 14 and a warning (the bytes are still in the
 * files, as it says); with {@code --wait} it waits for the reader to end and exits 0 with the files clean.
 */
class MemctlErasureIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("memory.db");
    }

    private Result memctl(String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db().toString(), "--actor", "user:alice"));
        all.addAll(Arrays.asList(args));
        return MemctlProcess.run(dir, Map.of(), new byte[0], all);
    }

    private boolean onDisk(String marker) throws IOException {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        for (String suffix : List.of("", "-wal", "-journal")) {
            Path f = dir.resolve("memory.db" + suffix);
            if (Files.exists(f) && indexOf(Files.readAllBytes(f), needle) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void redactExitsWith14WhileAReaderHoldsTheBytesAndWaitsForThemWithWait() throws Exception {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        String marker = HexFormat.of().formatHex(random);
        StoreId store = withDb(db(), ws -> ws.stores().create(NewStore.named("notes").build()).id());
        Memory first = withDb(db(), ws -> ws.memories(store, Actor.user("setup")).create("/a.md", "key " + marker));
        withDb(db(), ws -> ws.memories(store, Actor.user("setup")).update(first.id(), MemoryUpdate.content("clean")));
        assertThat(onDisk(marker)).as("control").isTrue();

        Process reader = sqlite3Reader(db());
        Writer readerIn = new OutputStreamWriter(reader.getOutputStream(), StandardCharsets.UTF_8);
        try {
            long start = System.nanoTime();
            Result held = memctl("redact", "notes", first.headVersionId().value());
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("not held up for minutes")
                    .isLessThan(60);
            assertThat(held.exit()).as("stdout %s stderr %s", held.out(), held.err()).isEqualTo(14);
            assertThat(held.out()).contains("redacted " + first.headVersionId()).contains("erasure pending");
            assertThat(held.err()).contains("WARNING").contains("still in the database's storage")
                    .contains("--wait");
            assertThat(onDisk(marker)).as("the bytes are there, as the warning says").isTrue();
            java.util.Optional<String> content = withDb(db(), ws -> ws.memories(store, Actor.user("x"))
                    .version(first.headVersionId()).content());
            assertThat(content).as("unreachable already").isEmpty();

            JsonNode json = JSON.readTree(memctl("--json", "redact", "notes", first.headVersionId().value()).out());
            assertThat(json.get("erasure").get("state").asText()).isEqualTo("pending");

            // The reader ends a few seconds into the wait.
            CompletableFuture<Void> ends = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(3_000);
                    readerIn.write("COMMIT;\n.quit\n");
                    readerIn.close();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Result waited = memctl("redact", "notes", first.headVersionId().value(), "--wait", "120s");
            ends.get(60, TimeUnit.SECONDS);
            waited.assertOk();
            assertThat(waited.out()).contains("erasure done");
            assertThat(reader.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(onDisk(marker)).as("after the reader ended").isFalse();
        } finally {
            reader.destroyForcibly();
        }
    }

    /** A sqlite3 shell that has read the database inside an open transaction. */
    private static Process sqlite3Reader(Path db) throws IOException {
        String tool = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "sqlite3"))) {
                tool = Path.of(d, "sqlite3").toString();
                break;
            }
        }
        if (tool == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("sqlite3 is not installed; this test needs it (apt-get install sqlite3)");
            }
            Assumptions.abort("sqlite3 is not installed");
        }
        Process p = new ProcessBuilder(tool, db.toString()).redirectErrorStream(true).start();
        Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        in.write("BEGIN;\nSELECT 'reading', count(*) FROM am_version;\n");
        in.flush();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertThat(line).startsWith("reading|");
        return p;
    }
}
