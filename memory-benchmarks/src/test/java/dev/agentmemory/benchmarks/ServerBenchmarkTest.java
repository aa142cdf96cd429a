package dev.agentmemory.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.VersionQuery;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server benchmark does what it says on both surfaces: each update is a version, each read sees the content. */
class ServerBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "http"})
    void updatesWriteAVersionEachAndReadsSeeTheContent(String surface) throws Exception {
        ServerBenchmark.Shared shared = new ServerBenchmark.Shared();
        shared.dialect = "sqlite";
        shared.surface = surface;
        shared.setUp();
        try {
            ServerBenchmark.Client client = new ServerBenchmark.Client();
            client.setUp(shared);
            ServerBenchmark bench = new ServerBenchmark();
            bench.update(shared, client);
            bench.update(shared, client);
            bench.update(shared, client);
            assertThat(shared.memories.versions(VersionQuery.ofMemory(client.id).build()).items()).hasSize(4);
            assertThat(shared.memories.get(client.id).text()).isEqualTo(client.contents[0]);
            Object read = bench.read(shared, client);
            String text = read instanceof String body
                    ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("content").asText()
                    : ((dev.agentmemory.model.Memory) read).text();
            assertThat(text).isEqualTo(client.contents[0]);
            assertThat(shared.server == null).isEqualTo(surface.equals("embedded"));
        } finally {
            shared.tearDown();
        }
    }
}
