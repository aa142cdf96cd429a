package dev.agentmemory.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.Session;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two sessions mount the same store: each sees the other's edits at once, and racing appends all land. */
abstract class TwoMountsContract extends MountTestBase {

    Session second;
    Path dir2;
    MemoryMount mount2;

    @BeforeEach
    void mountASecondSession() {
        second = workspace.sessions().create(List.of(AttachmentSpec.readWrite(notes.id())));
        dir2 = tmp.resolve("memory2");
        mount2 = mount(second, dir2);
    }

    @Test
    void editsInOneMountAreVisibleInTheOtherAtOnce() {
        assertThat(sh(dir2, "cat notes/a.md").output()).isEqualTo("alpha\n");
        shOk("echo one >> notes/a.md");
        assertThat(sh(dir2, "cat notes/a.md").output()).isEqualTo("alpha\none\n");
        assertThat(sh(dir2, "echo two >> notes/a.md && mkdir -p notes/new && echo n > notes/new/n.md").exit())
                .isZero();
        assertThat(mount2.awaitSettled(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(shOk("cat notes/a.md notes/new/n.md").output()).isEqualTo("alpha\none\ntwo\nn\n");
        shOk("mv notes/new notes/old && rm notes/gone/x.md");
        assertThat(sh(dir2, "find notes -type f | sort").output())
                .isEqualTo("notes/a.md\nnotes/dir/b.md\nnotes/dir/sub/c.md\nnotes/old/n.md\n");
        List<MemoryVersion> versions = allVersions(other);
        assertThat(versions.get(0).createdBy()).isEqualTo(me());
        assertThat(versions).filteredOn(v -> v.createdBy().equals(Actor.session(second.id()))).hasSize(2);
    }

    @Test
    void racingAppendsThroughBothMountsLoseNothingAcknowledged() throws Exception {
        int writersPerMount = 3;
        int appendsEach = 20;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writersPerMount * 2);
        List<Future<?>> futures = new ArrayList<>();
        for (Path root : List.of(dir, dir2)) {
            for (int w = 0; w < writersPerMount; w++) {
                String who = root.getFileName() + "-" + w;
                futures.add(pool.submit(() -> {
                    // One process per writer; each append is its own open, write and close, checked by its status.
                    StringBuilder script = new StringBuilder();
                    for (int i = 0; i < appendsEach; i++) {
                        script.append("echo ").append(who).append('-').append(i)
                                .append(" >> notes/log.md && echo ok ").append(i).append('\n');
                    }
                    Shell r = sh(root, script.toString());
                    for (String line : r.output().split("\n")) {
                        if (line.startsWith("ok ")) {
                            acknowledged.add(who + "-" + line.substring(3));
                        } else {
                            failures.add(who + ": " + line);
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(mount.awaitSettled(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(mount2.awaitSettled(java.time.Duration.ofSeconds(10))).isTrue();
        Set<String> landed = new HashSet<>(List.of(other.getByPath("/log.md").text().split("\n")));
        assertThat(acknowledged).isNotEmpty();
        assertThat(landed).containsAll(acknowledged);
        assertThat(failures).as("appends that failed").isEmpty();
        assertThat(acknowledged).hasSize(writersPerMount * 2 * appendsEach);
        assertThat(other.getByPath("/log.md").text().split("\n")).hasSize(writersPerMount * 2 * appendsEach);
    }
}
