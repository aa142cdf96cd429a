package dev.agentmemory.fuse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the mount sample and checks what it printed and wrote. */
class MountExampleTest {

    @TempDir
    Path dir;

    @Test
    void theSampleEditsLiveAndTheReadOnlyStoreIsRefused() throws Exception {
        dev.agentmemory.fuse.FuseAvailableForExamples.require();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<MemoryVersion> versions = MountExample.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("Run mvn -B verify -T4.\n", "Read-only file system", "Use ./mvnw.\n");
        assertThat(versions).extracting(MemoryVersion::operation, v -> v.path().orElseThrow()).containsExactly(
                org.assertj.core.api.Assertions.tuple(Operation.MODIFIED, "/build.md"),
                org.assertj.core.api.Assertions.tuple(Operation.MODIFIED, "/build.md"),
                org.assertj.core.api.Assertions.tuple(Operation.CREATED, "/todo.md"),
                org.assertj.core.api.Assertions.tuple(Operation.CREATED, "/build.md"));
    }
}
