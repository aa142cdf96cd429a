package dev.agentmemory.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.tool.MemoryTool;
import dev.agentmemory.tool.ToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler called directly, as the SDK's runner calls it: what it returns, what it throws, and sharing it. */
class StoreMemoryToolHandlerTest {

    @TempDir
    Path dir;

    private AgentMemory memory;
    private Session session;
    private MemoryTool tool;
    private StoreMemoryToolHandler handler;

    @BeforeEach
    void open() {
        memory = AgentMemory.builder().backend(InMemoryBackend.create()).build();
        Workspace ws = memory.workspace("acme");
        MemoryStore store = ws.stores().create(NewStore.named("Project Notes").build());
        session = ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
        tool = MemoryTool.of(session);
        handler = new StoreMemoryToolHandler(tool);
    }

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void aSuccessReturnsTheToolsTextUnchanged() {
        assertThat(handler.create("/memories/project-notes/a.md",
                "one\ntwo\n")).isEqualTo("File created successfully at: /memories/project-notes/a.md");
        assertThat(handler.view("/memories/project-notes/a.md", Optional.of(List.of(2L, -1L))))
                .isEqualTo(tool.view("/memories/project-notes/a.md", Optional.of(List.of(2L, -1L))).text())
                .isEqualTo("Here's the content of /memories/project-notes/a.md with line numbers:\n     2\ttwo");
        assertThat(handler.insert("/memories/project-notes/a.md", 0,
                "zero\n")).isEqualTo("The file /memories/project-notes/a.md has been edited.");
        assertThat(handler.rename("/memories/project-notes/a.md", "/memories/project-notes/b.md"))
                .isEqualTo("Successfully renamed /memories/project-notes/a.md to /memories/project-notes/b.md");
        assertThat(handler.delete("/memories/project-notes/b.md")).isEqualTo("Successfully deleted /memories/project-notes/b.md");
    }

    @Test
    void anErrorTextWithThePrefixIsThrownWithoutItSoTheRunnerAddsItOnce() {
        handler.create("/memories/project-notes/a.md", "x");
        MemoryToolCommandException e = catchThrowableOfType(MemoryToolCommandException.class,
                () -> handler.create("/memories/project-notes/a.md", "y"));
        assertThat(e.result()).isEqualTo(ToolResult.error("Error: File /memories/project-notes/a.md already exists"));
        assertThat(e.getMessage()).isEqualTo("File /memories/project-notes/a.md already exists");
        // What BetaToolRunner builds from any exception: "Error: " + message.
        assertThat("Error: " + e.getMessage()).isEqualTo(e.textSeenByModel()).isEqualTo(e.result().text());
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void anErrorTextWithoutThePrefixReachesTheModelPrefixed() {
        MemoryToolCommandException e = catchThrowableOfType(MemoryToolCommandException.class,
                () -> handler.view("/memories/project-notes/nope.md", Optional.empty()));
        assertThat(e.result().text()).isEqualTo("The path /memories/project-notes/nope.md does not exist. Please provide a valid path.");
        assertThat(e.getMessage()).isEqualTo(e.result().text());
        assertThat(e.textSeenByModel())
                .isEqualTo("Error: The path /memories/project-notes/nope.md does not exist. Please provide a valid path.");
    }

    @Test
    void aFailedCommandChangesNothing() {
        handler.create("/memories/project-notes/a.md", "tabs\n");
        Memories m = session.mount("project-notes");
        long revision = m.revision();
        assertThatThrownBy(() -> handler.strReplace("/memories/project-notes/a.md", "spaces", "tabs"))
                .isInstanceOf(MemoryToolCommandException.class)
                .hasMessage("No replacement was performed, old_str `spaces` did not appear verbatim in /memories/project-notes/a.md.");
        assertThatThrownBy(() -> handler.insert("/memories/project-notes/a.md", 5,
                "x")).isInstanceOf(MemoryToolCommandException.class);
        assertThatThrownBy(() -> handler.delete("/memories/project-notes")).isInstanceOf(MemoryToolCommandException.class);
        assertThat(m.revision()).isEqualTo(revision);
        assertThat(m.getByPath("/a.md").content()).contains("tabs\n");
    }

    @Test
    void anEmptyNewStrDeletesOldStr() {
        handler.create("/memories/project-notes/a.md", "keep drop keep\n");
        handler.strReplace("/memories/project-notes/a.md", " drop", "");
        assertThat(session.mount("project-notes").getByPath("/a.md").content()).contains("keep keep\n");
    }

    @Test
    void theHandlerOfASessionServesEveryAttachment() {
        Workspace ws = memory.workspace("acme");
        MemoryStore other = ws.stores().create(NewStore.named("Team Handbook").build());
        MemoryStore notes = ws.stores().create(NewStore.named("Notes").build());
        Session two = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id()),
                AttachmentSpec.readOnly(other.id())));
        ws.memories(other.id(), Actor.apiKey("apikey_ops")).create("/style.md", "tabs\n");
        StoreMemoryToolHandler both = StoreMemoryToolHandler.of(two);
        assertThat(both.create("/memories/notes/n.md",
                "x")).isEqualTo("File created successfully at: /memories/notes/n.md");
        assertThat(two.mount("notes").findByPath("/n.md")).isPresent();
        assertThat(both.view("/memories/team-handbook/style.md", Optional.empty()))
                .isEqualTo("Here's the content of /memories/team-handbook/style.md with line numbers:\n     1\ttabs");
        MemoryToolCommandException refused = catchThrowableOfType(MemoryToolCommandException.class,
                () -> both.create("/memories/team-handbook/h.md", "x"));
        assertThat(refused.textSeenByModel()).startsWith("Error: create refused: /memories/team-handbook/ is attached"
                + " read-only");
        assertThat(two.mount("team-handbook").findByPath("/h.md")).isEmpty();
        assertThat(both.systemPrompt()).isEqualTo(both.memoryTool().systemPrompt())
                .contains("## /memories/notes/").contains("## /memories/team-handbook/");

        StoreMemoryToolHandler subset = new StoreMemoryToolHandler(MemoryTool.builder(two).mounts("notes").build());
        assertThatThrownBy(() -> subset.view("/memories/team-handbook/style.md", Optional.empty()))
                .isInstanceOf(MemoryToolCommandException.class);
        assertThatThrownBy(() -> MemoryTool.builder(two).mounts("nope").build()).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aStorageFailureReachesTheModelAsAnError() {
        memory.close();
        MemoryToolCommandException e = catchThrowableOfType(MemoryToolCommandException.class,
                () -> handler.view("/memories", Optional.empty()));
        assertThat(e.textSeenByModel()).isEqualTo("Error: this AgentMemory is closed; open a new one");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new StoreMemoryToolHandler(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MemoryToolCommandException(ToolResult.ok("fine")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** One handler shared by threads, as a runner per conversation would share it: no insert is lost (SQLite). */
    @Test
    void oneHandlerSharedByThreadsLosesNoUpdate() throws Exception {
        try (AgentMemory sqlite = AgentMemory.builder().backend(JdbcBackend.sqlite(dir.resolve("c.db"))).build()) {
            Workspace ws = sqlite.workspace("acme");
            MemoryStore store = ws.stores().create(NewStore.named("Shared").build());
            Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
            StoreMemoryToolHandler shared = StoreMemoryToolHandler.of(s);
            shared.create("/memories/shared/log.md", "");
            int threads = 4;
            int each = 5;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            shared.insert("/memories/shared/log.md", 0, "t" + id + "-" + i + "\n");
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            Memories m = s.mount("shared");
            String content = m.getByPath("/log.md").content().orElseThrow();
            assertThat(content.lines()).hasSize(threads * each).doesNotHaveDuplicates();
            assertThat(m.versions(VersionQuery.builder().limit(100).build()).items()).hasSize(1 + threads * each);
        }
    }
}
