package dev.agentmemory.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.VersionQuery;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks that the benchmarks measure what they claim: exact sizes, real writes, no no-op updates. */
class BenchmarksTest {

    @ParameterizedTest
    @ValueSource(ints = {16, 1024, 4097, 102400})
    void textsHaveTheExactUtf8SizeAndNonAsciiCharacters(int size) {
        for (int variant = 0; variant < 3; variant++) {
            String text = Texts.of(size, variant);
            assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(size);
            if (size >= 1024) {
                assertThat(text.chars().anyMatch(c -> c > 0x7F)).as("has non-ASCII").isTrue();
                assertThat(text.codePoints().anyMatch(Character::isSupplementaryCodePoint))
                        .as("has a surrogate pair").isTrue();
            }
        }
        assertThat(Texts.of(size, 1)).isNotEqualTo(Texts.of(size, 2));
    }

    @Test
    void createMakesANewMemoryPerCallAndTheFloorPutsAsManyKeys() {
        CreateBenchmark b = new CreateBenchmark();
        b.sizeBytes = 1024;
        b.makeContent();
        b.openStore();
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < 150; i++) {
            Memory m = b.create();
            assertThat(m.contentSizeBytes()).isEqualTo(1024);
            paths.add(m.path());
        }
        assertThat(paths).hasSize(150);
        Bench.Stored first = b.floor();
        assertThat(first.sha256()).hasSize(32);
        b.closeStore();
    }

    @Test
    void everyUpdateMakesAVersionAndAlternatesTheContent() {
        UpdateBenchmark b = new UpdateBenchmark();
        b.sizeBytes = 1024;
        b.makeContent();
        b.openStore();
        Memory one = b.update();
        Memory two = b.update();
        Memory three = b.update();
        assertThat(one.contentSha256()).isNotEqualTo(two.contentSha256());
        assertThat(three.contentSha256()).isEqualTo(one.contentSha256());
        assertThat(List.of(one, two, three)).extracting(Memory::headVersionId).doesNotHaveDuplicates();
        Bench.Stored f1 = b.floor();
        Bench.Stored f2 = b.floor();
        assertThat(f1.content()).isNotEqualTo(f2.content());
        b.closeStore();
    }

    @Test
    void updatesAreNotNoOps() {
        UpdateBenchmark b = new UpdateBenchmark();
        b.sizeBytes = 2048;
        b.makeContent();
        b.openStore();
        Memory last = null;
        for (int i = 0; i < 5; i++) {
            last = b.update();
        }
        List<MemoryVersion> versions = b.store.memories()
                .versions(VersionQuery.ofMemory(last.id()).limit(100).build()).items();
        assertThat(versions).hasSize(6);
        b.closeStore();
    }

    @Test
    void readsFindTheMemoriesTheFloorHolds() {
        ReadBenchmark.Data d = new ReadBenchmark.Data();
        d.sizeBytes = 1024;
        d.fill();
        ReadBenchmark byId = new ReadBenchmark();
        ReadBenchmark byPath = new ReadBenchmark();
        ReadBenchmark floor = new ReadBenchmark();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ReadBenchmark.COUNT + 3; i++) {
            Memory m1 = byId.get(d);
            Memory m2 = byPath.getByPath(d);
            Bench.Stored f = floor.floor(d);
            assertThat(m1).isEqualTo(m2);
            assertThat(f.content()).isEqualTo(m2.text());
            assertThat(Texts.utf8Length(m1.text())).isEqualTo(1024);
            seen.add(m1.path());
        }
        assertThat(seen).hasSize(ReadBenchmark.COUNT);
        d.close();
    }
}
