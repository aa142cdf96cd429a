package dev.agentmemory.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
        NioBenchmark.Writes w = new NioBenchmark.Writes();
        w.rotateEvery = 3;
        w.open(b);
        try {
            assertThat(b.readFile()).hasSize(1024);
            b.writeFile(w);
            byte[] first = Files.readAllBytes(w.path);
            b.writeFile(w);
            assertThat(Files.readAllBytes(w.path)).hasSize(1024).isNotEqualTo(first);
            Path before = w.path;
            b.writeFile(w); // the third write starts over in a fresh file system
            assertThat(w.path).isNotSameAs(before);
            assertThat(before.getFileSystem().isOpen()).isFalse();
            assertThat(Files.readAllBytes(w.path)).hasSize(1024).isEqualTo(first);
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
            w.close();
            b.close();
        }
    }
}
