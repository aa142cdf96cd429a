package dev.agentmemory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioViewExampleTest {

    @Test
    void fileOperationsBecomeVersionsAndTheMoveKeepsTheMemory(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path db = dir.resolve("memory.db");
        NioViewExample.run(db, new PrintStream(out, true, StandardCharsets.UTF_8));

        SampleDb after = SampleDb.read(db);
        assertThat(after.contents()).isEqualTo(Map.of(
                "/ci/build.md", "Run mvn -B verify.\nCache ~/.m2 on CI.\n",
                "/ci/flaky.md", "PaymentRetryTest.\n"));
        assertThat(after.history()).containsExactly(
                "session_actor created /build.md",
                "session_actor modified /build.md",     // the append
                "session_actor created /ci/flaky.md",
                "session_actor modified /ci/build.md"); // the move: same memory, new path
        assertThat(after.versions().get(0).memoryId()).isEqualTo(after.versions().get(3).memoryId());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "/mnt/memory/project-notes/ci/build.md  38\n/mnt/memory/project-notes/ci/flaky.md  18\n");
    }
}
