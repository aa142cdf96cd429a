package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.ConflictException;
import com.anthropic.models.beta.memorystores.MemoryStoreCreateParams;
import com.anthropic.models.beta.memorystores.memories.BetaManagedAgentsMemory;
import com.anthropic.models.beta.memorystores.memories.BetaManagedAgentsPrecondition;
import com.anthropic.models.beta.memorystores.memories.MemoryCreateParams;
import com.anthropic.models.beta.memorystores.memories.MemoryRetrieveParams;
import com.anthropic.models.beta.memorystores.memories.MemoryUpdateParams;
import com.anthropic.models.beta.memorystores.memoryversions.BetaManagedAgentsMemoryVersion;
import com.anthropic.models.beta.memorystores.memoryversions.BetaManagedAgentsMemoryVersionOperation;
import com.anthropic.models.beta.memorystores.memoryversions.MemoryVersionListParams;
import com.anthropic.models.beta.memorystores.memories.BetaManagedAgentsMemoryView;
import dev.agentmemory.model.WorkspaceId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes on one PostgreSQL, eight SDK clients (four through each) racing read-increment-write cycles
 * guarded by content_sha256 preconditions: no increment is lost and the version chain holds every value once, in
 * order.
 */
class TwoServersOnePostgresIT {

    static final int CLIENTS = 8;
    static final int INCREMENTS = 15;

    @TempDir
    Path dir;

    @Test
    void racingConditionalUpdatesLoseNothing() throws Exception {
        String url = ServerProcess.postgresUrl();
        String workspace = "race-" + UUID.randomUUID();
        NewApiKey key;
        try (ServerDatabase db = ServerDatabase.postgres(url, "", "", 2)) {
            key = db.apiKeys().create(WorkspaceId.of(workspace), "race");
        }
        try (ServerProcess a = ServerProcess.start(dir, "--url", url, "--rate-limit", "0");
                ServerProcess b = ServerProcess.start(dir, "--url", url, "--rate-limit", "0")) {
            List<AnthropicClient> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(AnthropicOkHttpClient.builder().baseUrl((i % 2 == 0 ? a : b).uri.toString())
                        .apiKey(key.secret()).maxRetries(0).build());
            }
            String sid = clients.get(0).beta().memoryStores().create(MemoryStoreCreateParams.builder()
                    .name("counter").build()).id();
            String mid = clients.get(0).beta().memoryStores().memories().create(sid,
                    MemoryCreateParams.builder().path("/counter.txt").content("0").build()).id();

            AtomicInteger conflicts = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<Integer>> done = new ArrayList<>();
            for (int ci = 0; ci < CLIENTS; ci++) {
                AnthropicClient c = clients.get(ci);
                String who = "client-" + ci;
                done.add(pool.submit(() -> {
                    var mems = c.beta().memoryStores().memories();
                    int applied = 0;
                    while (applied < INCREMENTS) {
                        BetaManagedAgentsMemory m = mems.retrieve(mid,
                                MemoryRetrieveParams.builder().memoryStoreId(sid).build());
                        int n = value(m.content().orElseThrow());
                        try {
                            mems.update(mid, MemoryUpdateParams.builder().memoryStoreId(sid)
                                    // each write is distinct, so a write that lost its race is refused rather
                                    // than taken for a retry of the winner's (equal) write
                                    .content((n + 1) + " " + who + "#" + applied)
                                    .precondition(BetaManagedAgentsPrecondition.builder()
                                            .contentSha256(m.contentSha256()).build()).build());
                            applied++;
                        } catch (ConflictException e) {
                            conflicts.incrementAndGet();
                        }
                    }
                    return applied;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            pool.shutdown();
            assertThat(total).isEqualTo(CLIENTS * INCREMENTS);

            var mems = clients.get(1).beta().memoryStores().memories();
            assertThat(value(mems.retrieve(mid, MemoryRetrieveParams.builder().memoryStoreId(sid).build())
                    .content().orElseThrow())).isEqualTo(CLIENTS * INCREMENTS);
            List<BetaManagedAgentsMemoryVersion> chain = new ArrayList<>();
            clients.get(0).beta().memoryStores().memoryVersions().list(sid, MemoryVersionListParams.builder()
                    .memoryId(mid).view(BetaManagedAgentsMemoryView.FULL).limit(100).build()).autoPager()
                    .forEach(chain::add);
            assertThat(chain).hasSize(CLIENTS * INCREMENTS + 1);
            for (int i = 0; i < chain.size(); i++) {
                // newest first: the values run down from the total to 0 with no gap and no repeat
                assertThat(value(chain.get(i).content().orElseThrow())).isEqualTo(CLIENTS * INCREMENTS - i);
            }
            assertThat(chain.get(chain.size() - 1).operation())
                    .isEqualTo(BetaManagedAgentsMemoryVersionOperation.CREATED);
            System.out.printf("8 clients through 2 servers: %d increments, %d precondition conflicts retried%n",
                    total, conflicts.get());
            clients.forEach(AnthropicClient::close);
        }
    }

    private static int value(String content) {
        return Integer.parseInt(content.split(" ", 2)[0]);
    }
}
