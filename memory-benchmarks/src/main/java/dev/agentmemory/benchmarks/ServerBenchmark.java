package dev.agentmemory.benchmarks;

import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.server.MemoryServer;
import dev.agentmemory.server.NewApiKey;
import dev.agentmemory.server.ServerDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory server under load beside the embedded library in the same run: 1 KiB updates and reads of a memory per
 * client thread, through HTTP (the JDK's client, one per thread, keep-alive) or through {@link Memories} directly, on
 * SQLite and on PostgreSQL. Run with {@code -t 1}, {@code -t 8} and {@code -t 64} for the client counts; at most 64
 * threads (one memory each). Sample time mode gives p50 and p99; throughput is the thread count over the mean.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ServerBenchmark {

    static final int MAX_CLIENTS = 64;

    /** The database, the server and one memory per client thread. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"sqlite", "postgresql"})
        public String dialect;

        @Param({"embedded", "http"})
        public String surface;

        /** How long the server trusts a verified key before reading its row again; 0 reads it on every request. */
        @Param({"1000"})
        public int keyRecheckMs;

        JdbcBench.Db db;
        ServerDatabase database;
        MemoryServer server;
        NewApiKey key;
        Memories memories;
        StoreId store;
        final List<MemoryId> ids = new ArrayList<>();
        final AtomicInteger next = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() {
            db = JdbcBench.fresh(dialect, "server");
            database = db.serverDatabase();
            key = database.apiKeys().create(WorkspaceId.of("bench"), "bench");
            store = database.memory().workspace("bench").stores().create(NewStore.named("bench").build()).id();
            memories = database.memory().workspace("bench").memories(store, Actor.apiKey(key.key().id()));
            for (int i = 0; i < MAX_CLIENTS; i++) {
                ids.add(memories.create("/client-" + i + ".md", Texts.of(1024, i)).id());
            }
            if (surface.equals("http")) {
                server = MemoryServer.builder(database).port(0).rateLimit(0, 1).maxThreads(128)
                        .keyRecheck(java.time.Duration.ofMillis(keyRecheckMs)).build().start();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (server != null) {
                server.close();
            }
            database.close();
            db.close();
        }
    }

    /** One client: its memory, its HTTP connection, and two contents to alternate between. */
    @State(Scope.Thread)
    public static class Client {
        MemoryId id;
        HttpClient http;
        HttpRequest read;
        HttpRequest probe;
        HttpRequest[] writes;
        URI uri;
        String secret;
        String[] contents;
        String[] shas;
        String[] conditionalBodies;
        String sha;
        int turn;

        @Setup(Level.Trial)
        public void setUp(Shared shared) {
            int n = shared.next.getAndIncrement();
            if (n >= MAX_CLIENTS) {
                throw new IllegalStateException("at most " + MAX_CLIENTS + " threads");
            }
            id = shared.ids.get(n);
            contents = new String[] {Texts.of(1024, 1000 + n), Texts.of(1024, 2000 + n)};
            shas = new String[] {sha256(contents[0]), sha256(contents[1])};
            sha = shared.memories.get(id).contentSha256();
            if (shared.server != null) {
                http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI uri = URI.create(shared.server.uri() + "/v1/memory_stores/" + shared.store.value() + "/memories/"
                        + id.value());
                read = HttpRequest.newBuilder(uri).header("x-api-key", shared.key.secret()).GET().build();
                probe = HttpRequest.newBuilder(URI.create(shared.server.uri() + "/healthz")).GET().build();
                writes = new HttpRequest[2];
                for (int i = 0; i < 2; i++) {
                    String body = "{\"content\":" + dev.agentmemory.server.internal.Wire.MAPPER
                            .valueToTree(contents[i]).toString() + "}";
                    writes[i] = HttpRequest.newBuilder(uri).header("x-api-key", shared.key.secret())
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                }
                conditionalBodies = new String[2];
                for (int i = 0; i < 2; i++) {
                    conditionalBodies[i] = "{\"content\":" + dev.agentmemory.server.internal.Wire.MAPPER
                            .valueToTree(contents[i]).toString()
                            + ",\"precondition\":{\"type\":\"content_sha256\",\"content_sha256\":\"";
                }
                this.uri = uri;
                this.secret = shared.key.secret();
            }
        }
    }

    private static String sha256(String content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** A 1 KiB update of the client's own memory (a new version each time). */
    @Benchmark
    public Object update(Shared shared, Client client) throws Exception {
        int t = client.turn++ & 1;
        if (client.http != null) {
            return send(client.http, client.writes[t]);
        }
        return shared.memories.update(client.id, MemoryUpdate.content(client.contents[t]));
    }

    /**
     * A 1 KiB conditional update of the client's own memory: the precondition is the content's SHA-256 as the client
     * last saw it (the hosted API's {@code precondition: {type: content_sha256}}), so it never conflicts, as the
     * load generator's conditional update ({@code scripts/server-bench.sh}) does.
     */
    @Benchmark
    public Object conditionalUpdate(Shared shared, Client client) throws Exception {
        int t = client.turn++ & 1;
        if (client.http != null) {
            String body = client.conditionalBodies[t] + client.sha + "\"}}";
            send(client.http, HttpRequest.newBuilder(client.uri).header("x-api-key", client.secret)
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            client.sha = client.shas[t];
            return body;
        }
        Memory m = shared.memories.update(client.id,
                MemoryUpdate.content(client.contents[t]).ifContentSha256(client.sha));
        client.sha = m.contentSha256();
        return m;
    }

    /**
     * The HTTP floor: {@code GET /healthz} on the same server and connection (no key, no database, a fixed body), so
     * the HTTP exchange's own cost on this machine is measured beside the API's. Run it with
     * {@code -p surface=http}; on the embedded surface there is no request to make and it returns at once.
     */
    @Benchmark
    public Object floor(Shared shared, Client client) throws Exception {
        if (client.http != null) {
            return send(client.http, client.probe);
        }
        return client.id;
    }

    /** A read of the client's own memory, with its content. */
    @Benchmark
    public Object read(Shared shared, Client client) throws Exception {
        if (client.http != null) {
            return send(client.http, client.read);
        }
        Memory m = shared.memories.get(client.id);
        return m;
    }
}
