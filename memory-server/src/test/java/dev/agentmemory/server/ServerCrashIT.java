package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server process under write load, stopped by SIGKILL or SIGTERM: every write it answered 2xx is in the database
 * afterwards, with the content it was answered for.
 */
class ServerCrashIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Eight writers create and update memories until the server goes away; returns the acknowledged contents. */
    private static Map<String, String> load(URI base, String secret, String storeId, Runnable stop) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        // one request first, so the key's slow hash is checked before the clock starts
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/memory_stores/" + storeId))
                .header("x-api-key", secret).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean down = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                for (int i = 0; !down.get(); i++) {
                    String path = "/w" + writer + "/m" + i + ".md";
                    String content = "writer " + writer + " memory " + i + " " + UUID.randomUUID();
                    String body = "{\"path\":\"" + path + "\",\"content\":\"" + content + "\"}";
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                        URI.create(base + "/v1/memory_stores/" + storeId + "/memories"))
                                .header("x-api-key", secret).header("content-type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            acknowledged.put(path, content);
                        } else if (r.statusCode() != 503) {
                            throw new AssertionError("unexpected answer " + r.statusCode() + ": " + r.body());
                        }
                    } catch (java.io.IOException e) {
                        // no answer: the write is not acknowledged, whether or not it was committed
                        if (!down.get()) {
                            unanswered.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "writer-" + w);
            writers.add(t);
            t.start();
        }
        Thread.sleep(3000);
        down.set(true);   // from now on a failed request is expected: the server is being stopped
        stop.run();
        for (Thread t : writers) {
            t.join(60_000);
        }
        assertThat(unanswered.get()).as("requests left unanswered while the server was up").isZero();
        return acknowledged;
    }

    private void crashAndCheck(Supplier<ServerDatabase> open, String... options) throws Exception {
        String workspace = "crash-" + UUID.randomUUID();
        NewApiKey key;
        String storeId;
        try (ServerDatabase db = open.get()) {
            key = db.apiKeys().create(WorkspaceId.of(workspace), "crash");
            storeId = db.memory().workspace(workspace).stores()
                    .create(dev.agentmemory.model.NewStore.named("load").build()).id().value();
        }
        Map<String, String> acknowledged;
        try (ServerProcess server = ServerProcess.start(dir, options)) {
            acknowledged = load(server.uri, key.secret(), storeId, () -> {
                try {
                    server.kill9();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(server.process.isAlive()).isFalse();
        }
        assertThat(acknowledged).hasSizeGreaterThan(20);
        try (ServerDatabase db = open.get()) {
            Memories mems = db.memory().workspace(workspace).memories(StoreId.of(storeId), Actor.user("check"));
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                assertThat(mems.findByPath(e.getKey())).as(e.getKey()).isPresent();
                assertThat(mems.findByPath(e.getKey()).get().text()).isEqualTo(e.getValue());
            }
            System.out.printf("%s: %d writes acknowledged before kill -9, all present%n", options[0],
                    acknowledged.size());
        }
    }

    @Test
    void killDashNineOnSqliteLosesNoAcknowledgedWrite() throws Exception {
        Path file = dir.resolve("memory.db");
        crashAndCheck(() -> ServerDatabase.sqlite(file), "--db", file.toString(), "--rate-limit", "0");
    }

    @Test
    void killDashNineOnPostgresLosesNoAcknowledgedWrite() throws Exception {
        String url = ServerProcess.postgresUrl();
        crashAndCheck(() -> ServerDatabase.postgres(url, "", "", 2), "--url", url, "--rate-limit", "0");
    }

    @Test
    void sigtermFinishesInFlightWritesThenStops() throws Exception {
        Path file = dir.resolve("graceful.db");
        String workspace = "graceful";
        NewApiKey key;
        String storeId;
        try (ServerDatabase db = ServerDatabase.sqlite(file)) {
            key = db.apiKeys().create(WorkspaceId.of(workspace), "graceful");
            storeId = db.memory().workspace(workspace).stores()
                    .create(dev.agentmemory.model.NewStore.named("load").build()).id().value();
        }
        Map<String, String> acknowledged;
        try (ServerProcess server = ServerProcess.start(dir, "--db", file.toString(), "--rate-limit", "0")) {
            AtomicBoolean stopped = new AtomicBoolean();
            acknowledged = load(server.uri, key.secret(), storeId, () -> {
                try {
                    stopped.set(server.terminate(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(stopped).isTrue();
        }
        assertThat(acknowledged).hasSizeGreaterThan(20);
        try (ServerDatabase db = ServerDatabase.sqlite(file)) {
            Memories mems = db.memory().workspace(workspace).memories(StoreId.of(storeId), Actor.user("check"));
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                assertThat(mems.findByPath(e.getKey())).as(e.getKey()).isPresent();
            }
        }
    }
}
