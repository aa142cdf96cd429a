package dev.agentmemory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

    @Test
    void demoRunsEveryStepAndLeavesAnExportWithoutTheRedactedSecret(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(dir);
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("10. Finally the operator archives Conventions");
        assertThat(out).contains("is attached read-only");
        assertThat(out).contains("B's write was refused");
        assertThat(out).contains("PaymentRetryTest is flaky under load.\n   Cause: a shared static clock.\n"
                + "   Seen again on CI run 4411.");
        assertThat(out).contains("moved ").contains("-> /ci/flaky-tests.md");
        assertThat(out).contains("the redacted secret is absent from the export: true");
        assertThat(out).contains("is archived and read-only for good");

        assertThat(dir.resolve("agent-memory.db")).isRegularFile();
        assertThat(dir.resolve("backup.db")).isRegularFile();
        byte[] db = Files.readAllBytes(dir.resolve("agent-memory.db"));
        assertThat(new String(db, StandardCharsets.ISO_8859_1)).doesNotContain("tok_live_4f9a2c");

        Path export = dir.resolve("project-notes.jsonl");
        String jsonl = Files.readString(export, StandardCharsets.UTF_8);
        assertThat(jsonl).doesNotContain("tok_live_4f9a2c");
        assertThat(jsonl.lines()).first().asString().startsWith("{\"type\":\"memory_store\"");
        assertThat(jsonl.lines().filter(l -> l.startsWith("{\"type\":\"memory\"")).count()).isEqualTo(3);
        assertThat(jsonl.lines().filter(l -> l.startsWith("{\"type\":\"memory_version\"")).count()).isEqualTo(8);
    }
}
