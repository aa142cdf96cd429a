package dev.agentmemory.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.policy.Verdict;
import dev.agentmemory.policy.WritePolicy;
import dev.agentmemory.policy.WritePolicyChain;
import dev.agentmemory.policy.WriteRequest;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refusal reaches the writing process as an errno, at close() for what is decided when the file is written,
 * and writes nothing.
 */
abstract class RefusalContract extends MountTestBase {

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int EFBIG = 27;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int ENAMETOOLONG = 36;
    static final int EILSEQ = 84;
    static final int ESTALE = 116;

    Set<VersionId> before;
    Map<String, String> treeBefore;

    @Override
    NewStore notesSpec() {
        return NewStore.named("Notes").memoryLimit(5).build(); // 4 seeded: room for one more
    }

    @BeforeEach
    void remember() {
        before = versionIds(other);
        treeBefore = storeTree(other);
    }

    void nothingWritten() {
        assertThat(newVersions(other, before)).isEmpty();
        assertThat(storeTree(other)).isEqualTo(treeBefore);
    }

    @Test
    void overTheContentLimitIsEfbigAtClose() {
        assertThat(errnoOf("f = open('notes/big.md', 'w')\nf.write('a' * 102401)\nf.close()")).isEqualTo(EFBIG);
        assertThat(errnoOf("f = open('notes/a.md', 'a')\nf.write('a' * 102400)\nf.close()")).isEqualTo(EFBIG);
        nothingWritten();
        assertThat(sh("test -e notes/big.md").exit()).isEqualTo(1);
        assertThat(shFails("head -c 200000 /dev/zero | tr '\\0' a > notes/big.md")).contains("File too large");
        nothingWritten();
        // cp creates its copy with O_EXCL, and still learns of the refusal when it closes the file
        assertThat(shFails("head -c 200000 /dev/zero | tr '\\0' a > ../big.txt && cp ../big.txt notes/big.md"))
                .contains("File too large");
        nothingWritten();
        assertThat(sh("test -e notes/big.md").exit()).isEqualTo(1);
    }

    @Test
    void invalidUtf8IsEilseqAtClose() {
        assertThat(errnoOf("f = open('notes/bad.md', 'wb')\nf.write(b'ok \\xff')\nf.close()")).isEqualTo(EILSEQ);
        assertThat(errnoOf("f = open('notes/a.md', 'ab')\nf.write(b'\\xc3')\nf.close()")).isEqualTo(EILSEQ);
        nothingWritten();
        assertThat(sh("test -e notes/bad.md").exit()).isEqualTo(1);
    }

    @Test
    void pathRulesAreEinvalOrEnametoolong() {
        assertThat(errnoOf("open('notes/a\\x01b.md', 'w').close()")).isEqualTo(EINVAL);
        assertThat(errnoOf("open('notes/' + 'n' * 256, 'w').close()")).isEqualTo(ENAMETOOLONG);
        // An empty directory is not stored (as in the NIO view), so only a file in it meets the path limit.
        String deep = "'notes/' + '/'.join(['d' * 200] * 6)";
        assertThat(errnoOf("os.makedirs(" + deep + ")\nf = open(" + deep + " + '/f.md', 'w')\nf.write('x')\n"
                + "f.close()")).isEqualTo(ENAMETOOLONG);
        nothingWritten();
    }

    @Test
    void aFullStoreIsEnospc() {
        shOk("echo one > notes/one.md");
        assertThat(errnoOf("f = open('notes/two.md', 'w')\nf.write('two')\nf.close()")).isEqualTo(ENOSPC);
        assertThat(storeTree(other)).containsOnlyKeys("/a.md", "/dir/b.md", "/dir/sub/c.md", "/gone/x.md",
                "/one.md");
    }

    /** Refuses every delete under {@code /locked/}, so that a delete fails where the store is writable. */
    @Override
    void configure(AgentMemory.Builder builder) {
        builder.writePolicies(WritePolicyChain.of(new WritePolicy() {
            @Override
            public String name() {
                return "locked";
            }

            @Override
            public Verdict evaluate(WriteRequest request) {
                return request.operation() == Operation.DELETED && request.path().startsWith("/locked/")
                        ? Verdict.block("locked", "no_delete", "files under /locked/ stay") : Verdict.allow();
            }
        }));
    }

    @Test
    void rmOfAnOpenFileIsDeletedAtOnceAndRefusedToTheCallerWhileATemporaryFileWaitsElsewhere() throws Exception {
        // A temporary file waiting for its rename in another directory cannot be renamed over the removed file, so
        // the removal is an ordinary delete: written before rm returns, and its refusal is rm's error.
        String script = """
                import os, sys, tempfile
                fd, name = tempfile.mkstemp(dir='notes/gone')
                r = os.open('notes/a.md', os.O_RDONLY)
                os.remove('notes/a.md')
                print('removed', flush=True)
                sys.stdin.readline()
                print(os.read(r, 100).decode(), end='', flush=True)
                os.close(r)
                os.close(fd)
                os.remove(name)
                """;
        Process p = new ProcessBuilder("python3", "-c", script).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("removed");
            assertThat(other.findByPath("/a.md")).as("deleted when rm returned").isEmpty();
            assertThat(newVersions(other, before)).containsExactly(deleted("/a.md", me()));
            p.getOutputStream().write('\n');
            p.getOutputStream().close();
            assertThat(out.readLine()).as("still readable through its descriptor").isEqualTo("alpha");
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isZero();
        assertThat(mount.awaitSettled(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(newVersions(other, before)).containsExactly(deleted("/a.md", me()));

        other.create("/locked/k.md", "keep\n");
        before = versionIds(other);
        treeBefore = storeTree(other);
        assertThat(errnoOf("""
                fd, name = __import__('tempfile').mkstemp(dir='notes/gone')
                r = os.open('notes/locked/k.md', os.O_RDONLY)
                try:
                    os.remove('notes/locked/k.md')
                finally:
                    os.close(r)
                    os.close(fd)
                    os.remove(name)""")).isEqualTo(EINVAL);
        nothingWritten();
        assertThat(shOk("cat notes/locked/k.md").output()).isEqualTo("keep\n");
        // and the refusal of an archived store, with a descriptor open on the file
        workspace.stores().archive(notes.id());
        assertThat(errnoOf("r = os.open('notes/dir/b.md', os.O_RDONLY)\ntry:\n    os.remove('notes/dir/b.md')\n"
                + "finally:\n    os.close(r)")).isEqualTo(EROFS);
        nothingWritten();
    }

    @Test
    void anArchivedStoreIsErofs() {
        workspace.stores().archive(notes.id());
        assertThat(errnoOf("f = open('notes/a.md', 'a')\nf.write('more')\nf.close()")).isEqualTo(EROFS);
        assertThat(errnoOf("os.remove('notes/a.md')")).isEqualTo(EROFS);
        assertThat(errnoOf("os.rename('notes/a.md', 'notes/b.md')")).isEqualTo(EROFS);
        nothingWritten();
        assertThat(shOk("cat notes/a.md").output()).isEqualTo("alpha\n");
    }

    /** A temporary file made as mkstemp does, the way sed -i and editors make theirs: written at its rename. */
    static final String MKSTEMP = "fd = os.open('notes/.tmpXYZ', os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)\n";

    /**
     * A temporary file created as mkstemp does is written only when it is renamed (or a moment after its last close),
     * yet the closing process learns at close() of a refusal of its content or of any write to the store, and
     * nothing is written.
     */
    @Test
    void aTemporaryFileLearnsOfItsRefusalAtClose() {
        assertThat(errnoOf(MKSTEMP + "os.write(fd, b'ok \\xff')\nos.close(fd)")).isEqualTo(EILSEQ);
        assertThat(errnoOf(MKSTEMP + "os.write(fd, b'a' * 102401)\nos.close(fd)")).isEqualTo(EFBIG);
        nothingWritten();
        assertThat(sh("test -e notes/.tmpXYZ").exit()).isEqualTo(1);
        shOk("echo one > notes/one.md"); // the store is full now
        before = versionIds(other);
        treeBefore = storeTree(other);
        // Where a temporary file lands is not known at its close (it is usually renamed over an existing file), so a
        // full store does not refuse it then; left at its own name, it cannot land, and nothing is written.
        assertThat(errnoOf(MKSTEMP + "os.write(fd, b'new')\nos.close(fd)")).isEqualTo(0);
        nothingWritten();
        assertThat(sh("test -e notes/.tmpXYZ").exit()).isEqualTo(1);
        // an edit through a temporary file still works in a full store: the rename makes it an update
        shOk("sed -i s/alpha/ALPHA/ notes/a.md");
        assertThat(other.getByPath("/a.md").text()).isEqualTo("ALPHA\n");
        assertThat(newVersions(other, before)).hasSize(1);
    }

    /**
     * A file created or truncated and closed without a write (touch, : > f) is written at its last close, where the
     * kernel drops errors: the writing process learns of the refusal when it opens the file, and again at close() if
     * the store changed in between.
     */
    @Test
    void aFileClosedWithoutAWriteLearnsOfItsRefusalAtClose() {
        shOk("echo one > notes/one.md"); // the store is full now
        before = versionIds(other);
        treeBefore = storeTree(other);
        assertThat(errnoOf("open('notes/empty.md', 'w').close()")).isEqualTo(ENOSPC);
        assertThat(shFails("touch notes/touched.md")).contains("No space left on device");
        nothingWritten();
        assertThat(sh("test -e notes/empty.md || test -e notes/touched.md").exit()).isEqualTo(1);
        shOk(": > notes/a.md"); // truncating an existing file is an update, which still fits
        assertThat(other.getByPath("/a.md").text()).isEmpty();
    }

    /** The store filled up between the open that created a file and its close: the close is refused. */
    @Test
    void aStoreThatFilledUpAfterTheOpenRefusesTheClose() {
        String script = "import os, sys\n"
                + "f = open('notes/late.md', 'w')\n"
                + "print('written', flush=True)\n"
                + "sys.stdin.readline()\n"
                + "try:\n    f.close()\n    print(0)\nexcept OSError as e:\n    print(e.errno)\n";
        assertThat(raceAtClose(script, () -> other.create("/filler.md", "x"))).isEqualTo(String.valueOf(ENOSPC));
        assertThat(storeTree(other)).containsOnlyKeys("/a.md", "/dir/b.md", "/dir/sub/c.md", "/gone/x.md",
                "/filler.md");
        assertThat(sh("test -e notes/late.md").exit()).isEqualTo(1);
    }

    @Test
    void anArchivedStoreRefusesNewAndTemporaryFilesAtClose() {
        workspace.stores().archive(notes.id());
        assertThat(errnoOf("open('notes/empty.md', 'w').close()")).isEqualTo(EROFS);
        assertThat(errnoOf(MKSTEMP + "os.write(fd, b'x')\nos.close(fd)")).isEqualTo(EROFS);
        assertThat(errnoOf("open('notes/a.md', 'w').close()")).isEqualTo(EROFS);
        assertThat(shFails("sed -i s/alpha/A/ notes/a.md")).contains("Read-only file system");
        nothingWritten();
        assertThat(shOk("cat notes/a.md").output()).isEqualTo("alpha\n");
    }

    @Test
    void aReadOnlyAttachmentIsRefusedByTheKernel() {
        Set<VersionId> docsBefore = versionIds(otherDocs);
        for (String cmd : new String[] {"echo x >> docs/a.md", "rm docs/a.md", "mv docs/a.md docs/z.md",
            "touch docs/a.md", "touch docs/new.md", "sed -i s/alpha/A/ docs/a.md", "mkdir docs/d",
            "rm -r docs/dir", "echo x > docs/n.md"}) {
            assertThat(shFails(cmd)).as(cmd).contains("Read-only file system");
        }
        assertThat(errnoOf("open('docs/a.md', 'a').close()")).isEqualTo(EROFS);
        assertThat(newVersions(otherDocs, docsBefore)).isEmpty();
        assertThat(shOk("cat docs/a.md").output()).isEqualTo("alpha\n");
    }

    @Test
    void linksAndSpecialFilesArePermissionErrors() {
        assertThat(errnoOf("os.symlink('a.md', 'notes/l')")).isEqualTo(EPERM);
        assertThat(shFails("ln -s a.md notes/l")).contains("Operation not permitted");
        assertThat(errnoOf("os.link('notes/a.md', 'notes/hard.md')")).isEqualTo(EPERM);
        assertThat(errnoOf("os.mkfifo('notes/fifo')")).isEqualTo(EPERM);
        assertThat(errnoOf("os.mknod('notes/null', 0o20644, os.makedev(1, 3))")).isEqualTo(EPERM);
        assertThat(shFails("mkfifo notes/f2")).contains("Operation not permitted");
        nothingWritten();
    }

    @Test
    void chmodAndChownChangeNothing() {
        shOk("chmod 000 notes/a.md && chown 65534:65534 notes/a.md && chmod -R 700 notes/dir");
        nothingWritten();
        assertThat(shOk("cat notes/a.md").output()).isEqualTo("alpha\n");
    }

    @Test
    void aWriterOverwrittenMeanwhileGetsEstaleAndTheOtherVersionStays() {
        String script = "import os, sys, time\n"
                + "f = open('notes/a.md', 'r+')\n"
                + "f.write('mine!!')\n"
                + "print('written', flush=True)\n"
                + "sys.stdin.readline()\n"
                + "try:\n    f.close()\n    print(0)\nexcept OSError as e:\n    print(e.errno)\n";
        assertThat(raceAtClose(script, () -> other.update(other.getByPath("/a.md").id(),
                MemoryUpdate.content("theirs\n")))).isEqualTo(String.valueOf(ESTALE));
        assertThat(other.getByPath("/a.md").text()).isEqualTo("theirs\n");
    }

    @Test
    void anAppendWhoseFileMovedOnIsReappliedOnTop() {
        String script = "import os, sys\n"
                + "f = open('notes/a.md', 'a')\n"
                + "f.write('mine\\n')\n"
                + "print('written', flush=True)\n"
                + "sys.stdin.readline()\n"
                + "try:\n    f.close()\n    print(0)\nexcept OSError as e:\n    print(e.errno)\n";
        assertThat(raceAtClose(script, () -> other.update(other.getByPath("/a.md").id(),
                MemoryUpdate.content("alpha\ntheirs\n")))).isEqualTo("0");
        assertThat(other.getByPath("/a.md").text()).isEqualTo("alpha\ntheirs\nmine\n");
    }

    /** Runs a Python script that writes, waits for a line, then closes; runs {@code between} in the pause. */
    String raceAtClose(String script, Runnable between) {
        try {
            Process p = new ProcessBuilder("python3", "-c", script).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("written");
            between.run();
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
            String result = in.readLine();
            p.waitFor();
            assertThat(mount.awaitSettled(java.time.Duration.ofSeconds(10))).isTrue();
            return result;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
