package dev.agentmemory.spring.boot.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.checkout.Checkout;
import dev.agentmemory.checkout.SyncReport;
import dev.agentmemory.fs.MemoryFileSystems;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springaicommunity.agent.tools.AutoMemoryTools;

/**
 * Spring AI's file-based memory tool ({@code AutoMemoryTools} of spring-ai-agent-utils) over agent-memory, on a SQLite
 * store: on the NIO view it can list the root but breaks on every path the model names, because it parses that path
 * with the default file system ({@code Paths.get}) and resolves it against a path of another one; over a checkout
 * directory it works, and a sync turns its edits into versions of the session. {@code docs/spring-ai.md} explains the
 * gap. If a release of the library fixes it, the first test fails and the page should change.
 */
class SpringAiAutoMemoryToolsTest {

    @TempDir
    Path dir;

    private AgentMemory memory;
    private MemoryStore store;
    private Session session;

    @BeforeEach
    void open() {
        memory = AgentMemory.builder().backend(JdbcBackend.sqlite(dir.resolve("memory.db"))).build();
        store = memory.workspace("acme").stores().create(NewStore.named("Notes").build());
        session = memory.workspace("acme").sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
        session.mount("notes").create("/MEMORY.md", "- [Build](build.md) how to build\n");
    }

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void onTheNioViewItListsTheRootButEveryNamedPathBreaks() throws Exception {
        try (FileSystem fs = MemoryFileSystems.newFileSystem(session)) {
            AutoMemoryTools tools = AutoMemoryTools.builder().memoriesDir(fs.getPath("/mnt/memory/notes")).build();

            assertThat(tools.memoryView("", null)).contains("MEMORY.md");
            assertThatThrownBy(() -> tools.memoryView("MEMORY.md", null))
                    .isInstanceOf(ProviderMismatchException.class);
            assertThatThrownBy(() -> tools.memoryCreate("build.md", "Run mvn -B verify."))
                    .isInstanceOf(ProviderMismatchException.class);
        }
        assertThat(session.mount("notes").findByPath("/build.md")).as("nothing was written").isEmpty();
    }

    @Test
    void overACheckoutDirectoryItWorksAndASyncMakesVersions() throws Exception {
        Path root = dir.resolve("checkout");
        try (Checkout checkout = Checkout.create(session, root)) {
            AutoMemoryTools tools = AutoMemoryTools.builder().memoriesDir(root.resolve("notes")).build();

            assertThat(tools.memoryView("MEMORY.md", null)).contains("how to build");
            assertThat(tools.memoryCreate("build.md", "Run mvn -B verify.")).doesNotStartWith("Error");
            assertThat(tools.memoryStrReplace("MEMORY.md", "how to build", "how to build and test"))
                    .doesNotStartWith("Error");
            assertThat(Files.readString(root.resolve("notes/build.md"))).isEqualTo("Run mvn -B verify.");

            SyncReport report = checkout.sync();
            assertThat(report.isClean()).isTrue();
            assertThat(report.pushed()).hasSize(2);
        }
        assertThat(session.mount("notes").getByPath("/build.md").content()).contains("Run mvn -B verify.");
        assertThat(session.mount("notes").getByPath("/MEMORY.md").content()).hasValueSatisfying(
                c -> assertThat(c).contains("how to build and test"));
        assertThat(session.mount("notes").list(ListQuery.all()).items()).hasSize(2);
    }
}
