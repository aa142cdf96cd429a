package dev.agentmemory.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.fuse.MountTestBase.Shell;
import dev.agentmemory.fuse.internal.MountTable;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memctl mount} in a child JVM on a SQLite file: SIGTERM unmounts cleanly; kill -9 loses no write whose close()
 * succeeded, and the next mount clears the dead one.
 */
class MemctlMountProcessTest {

    @TempDir
    Path tmp;

    Path db;
    Path dir;
    AgentMemory memory;
    Session session;
    Memories other;
    final List<Process> children = new ArrayList<>();

    @BeforeEach
    void setUp() {
        FuseAvailable.require();
        db = tmp.resolve("memory.db");
        dir = tmp.resolve("memory");
        memory = AgentMemory.builder().backend(JdbcBackend.sqlite(db)).build();
        Workspace ws = memory.workspace("acme");
        MemoryStore notes = ws.stores().create(NewStore.named("Notes").build());
        MemoryStore docs = ws.stores().create(NewStore.named("Docs").build());
        other = ws.memories(notes.id(), Actor.user("alice"));
        other.create("/a.md", "alpha\n");
        ws.memories(docs.id(), Actor.user("alice")).create("/d.md", "delta\n");
        session = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id()),
                AttachmentSpec.readOnly(docs.id())));
    }

    @AfterEach
    void tearDown() {
        children.forEach(Process::destroyForcibly);
        for (String slug : List.of("notes", "docs")) {
            MountTable.detach(dir.resolve(slug));
        }
        memory.close();
    }

    /** Starts memctl mount in a child JVM and waits until it says the mounts are up. */
    Process memctlMount() throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.agentmemory.cli.Memctl", "--db", db.toString(),
                "-w", "acme", "mount", session.id().value(), dir.toString())
                .redirectErrorStream(true).start();
        children.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    seen.add(l);
                    if (l.startsWith("mounted session ")) {
                        return l;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }).orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(line).as("memctl mount output: %s", seen).isNotNull();
        CompletableFuture.runAsync(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // the child is gone
            }
        });
        return p;
    }

    @Test
    void sigtermUnmountsAndEveryClosedWriteIsAVersion() throws Exception {
        Process p = memctlMount();
        Shell r = MountTestBase.sh(dir, "echo one >> notes/a.md && cat docs/d.md && ls");
        assertThat(r.output()).isEqualTo("delta\ndocs\nnotes\n");
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // unmounted, and the mount points removed: a late write fails instead of landing in a plain directory
        assertThat(MountTable.typeAt(dir.resolve("notes"))).isEmpty();
        assertThat(MountTable.typeAt(dir.resolve("docs"))).isEmpty();
        assertThat(dir.resolve("notes")).doesNotExist();
        assertThat(MountTestBase.sh(dir, "echo late >> notes/a.md").exit()).isNotZero();
        assertThat(other.getByPath("/a.md").text()).isEqualTo("alpha\none\n");
        assertThat(MountTestBase.allVersions(other).get(0).createdBy()).isEqualTo(Actor.session(session.id()));
    }

    @Test
    void killMinusNineLosesNoAcknowledgedWriteAndTheNextMountClearsTheDeadOne() throws Exception {
        Process p = memctlMount();
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Shell r = MountTestBase.sh(dir, "echo line-" + i + " >> notes/log.md && cat > notes/f" + i
                    + ".md <<'EOF'\nfile " + i + "\nEOF");
            if (r.exit() == 0) {
                acknowledged.add("line-" + i);
            }
        }
        assertThat(acknowledged).hasSize(30);
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no unmount
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(MountTestBase.sh(dir, "ls notes").output()).contains("Transport endpoint is not connected");

        // Everything acknowledged is in the database, read by another connection.
        try (AgentMemory reopened = AgentMemory.builder().backend(JdbcBackend.sqlite(db)).build()) {
            Memories m = reopened.workspace("acme").memories(other.storeId(), Actor.user("bob"));
            assertThat(m.getByPath("/log.md").text().split("\n")).containsExactlyElementsOf(acknowledged);
            for (int i = 0; i < 30; i++) {
                assertThat(m.getByPath("/f" + i + ".md").text()).isEqualTo("file " + i + "\n");
            }
        }

        // The next mount of the same directory clears the dead mount and serves the store again.
        Process again = memctlMount();
        assertThat(MountTestBase.sh(dir, "tail -n 1 notes/log.md && cat notes/f29.md").output())
                .isEqualTo("line-29\nfile 29\n");
        again.destroy();
        assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLiveMountInTheWayIsRefusedNotReplaced() throws Exception {
        Process p = memctlMount();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MemoryMount.mount(session, dir,
                MountOptions.defaults())).isInstanceOf(MountException.class).hasMessageContaining("already mounted");
        assertThat(MountTestBase.sh(dir, "cat notes/a.md").output()).isEqualTo("alpha\n");
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
