package dev.agentmemory.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.AttachmentSpec;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The store's rules through the view, over the SQLite backend, and changes made by a second AgentMemory. */
class NioViewSqliteTest extends NioViewSuite {
    @Override
    protected MemoryHarness open() throws Exception {
        return MemoryHarness.sqlite();
    }

    @Test
    void watchSeesASecondAgentMemoryOnTheSameDatabase() throws Exception {
        try (AgentMemory second = AgentMemory.builder().backend(JdbcBackend.sqlite(h.databaseFile())).build();
                WatchService ws = fs.newWatchService()) {
            notes.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            Memories theirs = second.workspace("acme").sessions()
                    .create(List.of(AttachmentSpec.readWrite(h.notesStore.id()))).mount("notes");
            theirs.create("/from-second.md", "hello");
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                WatchKey key = ws.poll(100, TimeUnit.MILLISECONDS);
                if (key != null) {
                    for (WatchEvent<?> e : key.pollEvents()) {
                        seen.add(e.kind().name() + " " + e.context());
                    }
                    key.reset();
                }
            }
            assertThat(seen).containsExactly("ENTRY_CREATE from-second.md");
        }
    }
}
