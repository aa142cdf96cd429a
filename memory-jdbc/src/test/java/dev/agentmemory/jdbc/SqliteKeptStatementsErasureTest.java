package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Erasure after many writes whose statements the SQLite backend keeps on its pooled connections: the erasure's
 * {@code VACUUM} runs on one of those connections, and finishes (no statement of the connection is left in progress),
 * so the erased bytes leave the files, while the writes go on afterwards with their statements prepared afresh.
 */
class SqliteKeptStatementsErasureTest {

    private final SqliteFixture fixture = new SqliteFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void aRedactionAfterManyWritesIsErasedFromTheFilesAndWritingGoesOn() {
        Path file = fixture.nextFile();
        String marker = Erasure.marker();
        try (AgentMemory am = AgentMemory.builder().backend(JdbcBackend.sqlite(file)).build()) {
            StoreAdmin stores = am.workspace("ws_kept").stores();
            MemoryStore store = stores.create(NewStore.named("kept").build());
            Memories m = am.workspace("ws_kept").memories(store.id(), Actor.user("w"));
            Memory secret = m.create("/secret.md", "token " + marker);
            m.update(secret.id(), MemoryUpdate.content("clean"));
            Memory other = m.create("/other.md", "0");
            for (int i = 1; i <= 300; i++) {
                other = m.update(other.id(), MemoryUpdate.content(Integer.toString(i)));
                m.get(other.id());
            }
            assertThat(Erasure.findings(files(file), marker)).as("control: the marker is on disk").isNotEmpty();

            stores.redact(store.id(), secret.headVersionId(), Actor.user("admin"));
            ErasureStatus status = stores.awaitErasure(Duration.ofSeconds(60));
            assertThat(status.state()).as(status.detail()).isEqualTo(ErasureStatus.State.DONE);
            assertThat(Erasure.findings(files(file), marker)).isEmpty();

            for (int i = 301; i <= 310; i++) {
                other = m.update(other.id(), MemoryUpdate.content(Integer.toString(i)));
            }
            assertThat(m.get(other.id()).text()).isEqualTo("310");
        }
    }

    private static List<Path> files(Path db) {
        String name = db.getFileName().toString();
        try (Stream<Path> s = Files.list(db.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith(name)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
