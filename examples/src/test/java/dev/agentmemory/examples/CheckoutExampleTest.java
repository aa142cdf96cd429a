package dev.agentmemory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.checkout.SyncReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutExampleTest {

    @Test
    void syncPushesTheLocalFileThenPullsTheOperatorsEdit(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<SyncReport> reports = CheckoutExample.run(dir, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(reports).allMatch(SyncReport::isClean);
        assertThat(reports.get(0).pushed()).extracting(p -> p.operation().wireName() + " " + p.path())
                .containsExactly("created /todo.md");
        assertThat(reports.get(0).pulled()).isEmpty();
        assertThat(reports.get(1).pushed()).isEmpty();
        assertThat(reports.get(1).pulled()).extracting(p -> p.operation().wireName() + " " + p.path())
                .containsExactly("modified /build.md");
        assertThat(Files.readString(dir.resolve("checkout/project-notes/todo.md"))).isEqualTo("Fix PaymentRetryTest.\n");
        SampleDb after = SampleDb.read(dir.resolve("memory.db"));
        assertThat(after.contents()).isEqualTo(Map.of(
                "/build.md", "Run mvn -B verify before pushing.\n",
                "/todo.md", "Fix PaymentRetryTest.\n"));
        assertThat(after.history()).containsExactly("user_actor created /build.md",
                "session_actor created /todo.md", "user_actor modified /build.md");
        assertThat(Files.readString(dir.resolve("checkout/project-notes/build.md")))
                .isEqualTo("Run mvn -B verify before pushing.\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("pushed created /todo.md",
                "pulled modified /build.md", "build.md now reads: Run mvn -B verify before pushing.");
    }
}
