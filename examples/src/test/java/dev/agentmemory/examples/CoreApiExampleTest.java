package dev.agentmemory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreApiExampleTest {

    @Test
    void writesTwoVersionsAsTheSessionAndRefusesTheStaleWrite(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path db = dir.resolve("memory.db");
        CoreApiExample.run(db, new PrintStream(out, true, StandardCharsets.UTF_8));

        SampleDb after = SampleDb.read(db);
        assertThat(after.contents()).isEqualTo(Map.of("/build.md", "Run mvn -B verify before pushing.\n"));
        assertThat(after.history()).containsExactly("session_actor created /build.md",
                "session_actor modified /build.md");
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("/mnt/memory/project-notes/");
        assertThat(printed).contains("stale write refused; the current sha256 is "
                + after.versions().get(1).contentSha256().orElseThrow());
        assertThat(printed).contains("modified /build.md by session_actor:sesn_");
    }
}
