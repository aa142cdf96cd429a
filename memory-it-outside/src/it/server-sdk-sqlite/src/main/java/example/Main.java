package example;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.ConflictException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.models.beta.memorystores.BetaManagedAgentsMemoryStore;
import com.anthropic.models.beta.memorystores.MemoryStoreCreateParams;
import com.anthropic.models.beta.memorystores.memories.BetaManagedAgentsMemory;
import com.anthropic.models.beta.memorystores.memories.BetaManagedAgentsPrecondition;
import com.anthropic.models.beta.memorystores.memories.MemoryCreateParams;
import com.anthropic.models.beta.memorystores.memories.MemoryListParams;
import com.anthropic.models.beta.memorystores.memories.MemoryRetrieveParams;
import com.anthropic.models.beta.memorystores.memories.MemoryUpdateParams;
import com.anthropic.models.beta.memorystores.memoryversions.BetaManagedAgentsMemoryVersion;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.server.MemoryServer;
import dev.agentmemory.server.NewApiKey;
import dev.agentmemory.server.ServerDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a user embedding the server does, on the libraries a user's build resolves: opens a SQLite file, creates an
 * API key, starts the server on 127.0.0.1, and points the official Anthropic SDK at it with only the base URL and key
 * changed: a store, a memory, a conditional update, a stale one refused, a listing, the version history, another
 * workspace's key refused. Exits non-zero, with the reason on stderr, if anything differs (a NoSuchMethodError from a
 * dependency clash between Jetty, the MCP SDK, Jackson and the Anthropic SDK included).
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args[0]);
        Files.deleteIfExists(database);
        try {
            run(database);
        } catch (Throwable t) {
            System.err.println("OUTSIDE PROJECT FAILED: " + t);
            t.printStackTrace();
            System.exit(1);
        }
        System.out.println("OUTSIDE PROJECT OK");
        System.exit(0);
    }

    static void run(Path database) {
        try (ServerDatabase db = ServerDatabase.sqlite(database)) {
            NewApiKey key = db.apiKeys().create(WorkspaceId.of("acme"), "outside project");
            NewApiKey other = db.apiKeys().create(WorkspaceId.of("globex"), "another workspace");
            try (MemoryServer server = MemoryServer.builder(db).host("127.0.0.1").port(0).build().start()) {
                AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(server.uri().toString())
                        .apiKey(key.secret()).maxRetries(0).build();
                AnthropicClient stranger = AnthropicOkHttpClient.builder().baseUrl(server.uri().toString())
                        .apiKey(other.secret()).maxRetries(0).build();
                try {
                    drive(client, stranger);
                } finally {
                    client.close();
                    stranger.close();
                }
            }
        }
    }

    static void drive(AnthropicClient client, AnthropicClient stranger) {
        var stores = client.beta().memoryStores();
        var memories = stores.memories();
        BetaManagedAgentsMemoryStore store = stores.create(MemoryStoreCreateParams.builder().name("Project notes")
                .build());
        check(store.id().startsWith("memstore_"), "a store id: " + store.id());

        BetaManagedAgentsMemory created = memories.create(store.id(), MemoryCreateParams.builder()
                .path("/build.md").content("Run mvn verify.").build());
        BetaManagedAgentsMemory updated = memories.update(created.id(), MemoryUpdateParams.builder()
                .memoryStoreId(store.id()).content("Run mvn -B verify.")
                .precondition(BetaManagedAgentsPrecondition.builder().contentSha256(created.contentSha256()).build())
                .build());
        check(!updated.memoryVersionId().equals(created.memoryVersionId()), "the update wrote a version");
        try {
            memories.update(created.id(), MemoryUpdateParams.builder().memoryStoreId(store.id()).content("stale")
                    .precondition(BetaManagedAgentsPrecondition.builder().contentSha256(created.contentSha256())
                            .build()).build());
            throw new AssertionError("a stale precondition was accepted");
        } catch (ConflictException expected) {
            // 409 memory_precondition_failed_error, parsed by the SDK
        }
        String content = memories.retrieve(created.id(), MemoryRetrieveParams.builder().memoryStoreId(store.id())
                .build()).content().orElseThrow();
        check(content.equals("Run mvn -B verify."), "the stored content: " + content);

        List<String> paths = memories.list(store.id(), MemoryListParams.builder().build()).data().stream()
                .map(i -> i.asMemory().path()).toList();
        check(paths.equals(List.of("/build.md")), "the listing: " + paths);

        List<BetaManagedAgentsMemoryVersion> versions = stores.memoryVersions().list(store.id()).data();
        check(versions.size() == 2, "two versions, got " + versions.size());
        check(versions.get(0).createdBy().orElseThrow().isApi(), "writes are the key's");

        try {
            stranger.beta().memoryStores().retrieve(store.id());
            throw new AssertionError("another workspace's key saw the store");
        } catch (NotFoundException expected) {
            // 404, never 403: ids do not leak across workspaces
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
