package dev.agentmemory.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.VersionId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's shell in its own mount namespace, as a container sees it: the mount root bind-mounted (recursively) at
 * /mnt/memory. Runs as root, as container shells usually do, to show that the refusals come from the kernel, not
 * from file modes that root would ignore.
 */
class NamespaceTest extends MountTestBase {

    @Override
    Backend backend() {
        return Backend.SQLITE;
    }

    @BeforeEach
    void needsRootAndUnshare() {
        boolean ok = "root".equals(System.getProperty("user.name"))
                && run(tmp, List.of("bash", "-c", "command -v unshare")).exit() == 0;
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("the namespace test needs root and unshare(1) in CI");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(ok, "needs root and unshare(1)");
    }

    /** Runs a script in a new mount namespace where /mnt is a fresh tmpfs and the mount root is at /mnt/memory. */
    Shell inNamespace(String setup, String script) {
        String all = "set -e; mount -t tmpfs none /mnt; mkdir /mnt/memory; mount --rbind '" + dir + "' /mnt/memory; "
                + setup + "; cd /mnt/memory; set +e; " + script;
        Shell r = run(tmp, List.of("unshare", "--mount", "--propagation", "private", "bash", "-c", all));
        assertThat(mount.awaitSettled(java.time.Duration.ofSeconds(10))).isTrue();
        return r;
    }

    @Test
    void theAgentEditsItsReadWriteMountAndTheKernelRefusesTheReadOnlyOne() {
        Set<VersionId> before = versionIds(other);
        Set<VersionId> docsBefore = versionIds(otherDocs);
        Shell r = inNamespace(":", "echo more >> notes/a.md && sed -i s/bravo/B/ notes/dir/b.md && echo ok;"
                + " for c in 'echo x >> docs/a.md' 'rm docs/a.md' 'mv docs/a.md docs/z.md' 'touch docs/a.md'"
                + " 'sed -i s/alpha/A/ docs/a.md'; do bash -c \"$c\" 2>&1 | grep -c 'Read-only file system'; done;"
                + " ls /mnt/memory");
        assertThat(r.output()).isEqualTo("ok\n1\n1\n1\n1\n1\ndocs\nnotes\n");
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "alpha\nmore\n", me()),
                modified("/dir/b.md", "B\n", me()));
        assertThat(newVersions(otherDocs, docsBefore)).isEmpty();
        assertThat(run(tmp, List.of("test", "-e", "/mnt/memory/notes")).exit())
                .as("the namespace's mounts stay in it").isNotZero();
    }

    @Test
    void aReadOnlyBindMountOfAReadWriteAttachmentIsReadOnlyToo() {
        Set<VersionId> before = versionIds(other);
        // What `docker run -v /host/memory/notes:/mnt/memory/notes:ro` does.
        Shell r = inNamespace("mount -o remount,bind,ro /mnt/memory/notes",
                "echo x >> notes/a.md; rm notes/a.md; cat notes/a.md");
        assertThat(r.output()).contains("Read-only file system").endsWith("alpha\n");
        assertThat(newVersions(other, before)).isEmpty();
    }
}
