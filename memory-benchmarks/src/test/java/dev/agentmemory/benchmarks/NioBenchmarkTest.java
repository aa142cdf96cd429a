package dev.agentmemory.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks that both sides of {@link NioBenchmark} do the same work. */
class NioBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"memory", "jimfs"})
    void bothFileSystemsDoTheSameWork(String fileSystem) throws Exception {
        NioBenchmark b = new NioBenchmark();
        b.fileSystem = fileSystem;
        b.open();
        try {
            assertThat(b.readFile()).hasSize(1024);
            b.writeFile();
            byte[] first = Files.readAllBytes(b.writePath);
            b.writeFile();
            assertThat(Files.readAllBytes(b.writePath)).hasSize(1024).isNotEqualTo(first);
            byte[] floorDigest = b.writeFloor();
            assertThat(floorDigest).hasSize(32);
            assertThat(Files.readAllBytes(b.floorPath)).hasSize(1024);
            byte[] link1 = b.writeChainedFloor();
            byte[] link2 = b.writeChainedFloor();
            assertThat(link1).hasSize(32).isNotEqualTo(link2).isNotEqualTo(floorDigest);
            assertThat(b.listDirectory()).isEqualTo(NioBenchmark.LIST_FILES);
            assertThat(b.moveDirectory()).isEqualTo(b.moveB);
            assertThat(Files.exists(b.moveA)).isFalse();
            try (var s = Files.list(b.moveB)) {
                assertThat(s.count()).isEqualTo(NioBenchmark.MOVE_FILES);
            }
            assertThat(b.moveDirectory()).isEqualTo(b.moveA);
            assertThat(Files.exists(b.moveB)).isFalse();
        } finally {
            b.close();
        }
    }
}
