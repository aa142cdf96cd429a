package dev.agentmemory.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.VersionId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real shell commands on the live mount, and the exact versions after each, with no sync step. */
abstract class ShellContract extends MountTestBase {

    Set<VersionId> before;

    @BeforeEach
    void remember() {
        before = versionIds(other);
    }

    @Test
    void theMountRootShowsOnlyTheAttachments() {
        assertThat(shOk("ls -A").output()).isEqualTo("docs\nnotes\n");
        assertThat(shOk("cd notes && find . | sort").output())
                .isEqualTo(".\n./a.md\n./dir\n./dir/b.md\n./dir/sub\n./dir/sub/c.md\n./gone\n./gone/x.md\n");
    }

    @Test
    void echoAppendIsOneModifiedVersion() {
        shOk("echo more >> notes/a.md");
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "alpha\nmore\n", me()));
    }

    @Test
    void redirectionReplacesInOneVersion() {
        shOk("echo new > notes/a.md");
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "new\n", me()));
    }

    @Test
    void heredocCreatesOneVersion() {
        shOk("cat > notes/h.md <<'EOF'\nline one\nline two\nEOF");
        assertThat(newVersions(other, before)).containsExactly(created("/h.md", "line one\nline two\n", me()));
        assertThat(shOk("cat notes/h.md").output()).isEqualTo("line one\nline two\n");
    }

    @Test
    void sedInPlaceIsOneModifiedVersionOfTheTarget() {
        MemoryId id = other.getByPath("/dir/b.md").id();
        shOk("sed -i 's/bravo/BRAVO/' notes/dir/b.md");
        assertThat(newVersions(other, before)).containsExactly(modified("/dir/b.md", "BRAVO\n", me()));
        assertThat(other.getByPath("/dir/b.md").id()).isEqualTo(id);
        assertThat(shOk("cat notes/dir/b.md").output()).isEqualTo("BRAVO\n");
    }

    @Test
    void sedInPlaceOverAFileStillOpenIsOneModifiedVersionOfTheTarget() {
        // What happens at random when sed's own read descriptor of the target has not been released in libfuse's eyes
        // when its rename arrives (the kernel sends releases asynchronously), made certain here: descriptor 3 keeps
        // the target open, so libfuse hides it (.fuse_hidden...) and then renames sed's temporary file over the name.
        MemoryId id = other.getByPath("/dir/b.md").id();
        assertThat(shOk("exec 3< notes/dir/b.md; sed -i 's/bravo/BRAVO/' notes/dir/b.md; cat notes/dir/b.md; cat <&3;"
                + " exec 3<&-; ls -A notes/dir").output()).isEqualTo("BRAVO\nbravo\nb.md\nsub\n");
        assertThat(newVersions(other, before)).containsExactly(modified("/dir/b.md", "BRAVO\n", me()));
        assertThat(other.getByPath("/dir/b.md").id()).isEqualTo(id);
        // the same through two programs: a reader holding the file while another process edits it in place
        shOk("(exec 3< notes/a.md; sleep 1; cat <&3 > /dev/null) & sleep 0.2; sed -i 's/alpha/ALPHA/' notes/a.md; wait");
        assertThat(newVersions(other, before)).containsExactly(modified("/dir/b.md", "BRAVO\n", me()),
                modified("/a.md", "ALPHA\n", me()));
    }

    @Test
    void sedInPlaceOverAnOpenFileWhileAnotherProcessStatsOtherPathsIsOneModifiedVersionEachTime() {
        // Between libfuse's hiding of the open target and its rename over the name, other requests run on other
        // threads; a stat of another path must neither delete the hidden memory under the rename nor make the rename
        // a delete and a create. A tight loop of stat in another process puts such requests into that window.
        MemoryId id = other.getByPath("/dir/b.md").id();
        int edits = 40;
        String script = """
                python3 -c '
                import os
                while True:
                    for p in ("notes/a.md", "notes/dir", "notes/dir/sub/c.md", "notes/gone/x.md", "notes/dir/none"):
                        try:
                            os.stat(p)
                        except FileNotFoundError:
                            pass
                ' & loop=$!
                for i in $(seq 1 %d); do
                    exec 3< notes/dir/b.md
                    sed -i "s/.*/edit $i/" notes/dir/b.md || { kill $loop; exit 1; }
                    exec 3<&-
                    test "$(cat notes/dir/b.md)" = "edit $i" || { kill $loop; echo "lost edit $i"; exit 1; }
                done
                kill $loop
                ls -A notes/dir
                """.formatted(edits);
        assertThat(shOk(script).output()).isEqualTo("b.md\nsub\n");
        List<V> expected = new java.util.ArrayList<>();
        for (int i = 1; i <= edits; i++) {
            expected.add(modified("/dir/b.md", "edit " + i + "\n", me()));
        }
        assertThat(newVersions(other, before)).containsExactlyElementsOf(expected);
        assertThat(other.getByPath("/dir/b.md").id()).isEqualTo(id);
        assertThat(other.getByPath("/dir/b.md").text()).isEqualTo("edit " + edits + "\n");
    }

    @Test
    void mvOfAFileIsARenameKeepingTheId() {
        MemoryId id = other.getByPath("/a.md").id();
        shOk("mv notes/a.md notes/renamed.md");
        assertThat(newVersions(other, before)).containsExactly(modified("/renamed.md", "alpha\n", me()));
        assertThat(other.getByPath("/renamed.md").id()).isEqualTo(id);
    }

    @Test
    void mvOfADirectoryMovesEveryMemoryKeepingIds() {
        MemoryId b = other.getByPath("/dir/b.md").id();
        MemoryId c = other.getByPath("/dir/sub/c.md").id();
        shOk("mv notes/dir notes/moved");
        assertThat(newVersions(other, before)).containsExactlyInAnyOrder(
                modified("/moved/b.md", "bravo\n", me()), modified("/moved/sub/c.md", "charlie\n", me()));
        assertThat(other.getByPath("/moved/b.md").id()).isEqualTo(b);
        assertThat(other.getByPath("/moved/sub/c.md").id()).isEqualTo(c);
        assertThat(shOk("ls notes").output()).isEqualTo("a.md\ngone\nmoved\n");
    }

    @Test
    void mvNoClobberAndExchangeAreHonoured() {
        // mv -n asks the kernel for RENAME_NOREPLACE (coreutils 9), or checks first: either way nothing moves.
        sh("mv -n notes/a.md notes/gone/x.md");
        assertThat(newVersions(other, before)).isEmpty();
        // RENAME_EXCHANGE: the store has no atomic swap of two memories; the mount refuses it.
        String out = shFails("python3 -c \"import ctypes,sys; l=ctypes.CDLL(None,use_errno=True); "
                + "r=l.renameat2(-100,b'notes/a.md',-100,b'notes/gone/x.md',2); "
                + "e=ctypes.get_errno(); print(r, e); sys.exit(e)\" ");
        assertThat(out.trim()).isEqualTo("-1 22");
        assertThat(newVersions(other, before)).isEmpty();
        // RENAME_NOREPLACE directly
        out = shFails("python3 -c \"import ctypes,sys; l=ctypes.CDLL(None,use_errno=True); "
                + "r=l.renameat2(-100,b'notes/a.md',-100,b'notes/gone/x.md',1); "
                + "e=ctypes.get_errno(); print(r, e); sys.exit(e)\" ");
        assertThat(out.trim()).isEqualTo("-1 17");
        assertThat(newVersions(other, before)).isEmpty();
    }

    @Test
    void mvOverAnExistingFileIsOneAtomicBatch() {
        MemoryId a = other.getByPath("/a.md").id();
        shOk("mv notes/a.md notes/gone/x.md");
        assertThat(newVersions(other, before)).containsExactly(deleted("/gone/x.md", me()),
                modified("/gone/x.md", "alpha\n", me()));
        assertThat(other.getByPath("/gone/x.md").id()).isEqualTo(a);
    }

    @Test
    void rmRecursiveDeletes() {
        shOk("rm -r notes/gone notes/dir");
        assertThat(newVersions(other, before)).containsExactlyInAnyOrder(deleted("/gone/x.md", me()),
                deleted("/dir/b.md", me()), deleted("/dir/sub/c.md", me()));
        assertThat(storeTree(other)).containsOnlyKeys("/a.md");
        assertThat(shOk("ls -A notes").output()).isEqualTo("a.md\n");
    }

    @Test
    void mkdirAloneWritesNothingAndAFileInItIsCreated() {
        shOk("mkdir -p notes/new/deep && test -d notes/new/deep");
        assertThat(newVersions(other, before)).isEmpty();
        assertThat(shOk("ls notes/new").output()).isEqualTo("deep\n");
        shOk("echo hi > notes/new/deep/n.md");
        assertThat(newVersions(other, before)).containsExactly(created("/new/deep/n.md", "hi\n", me()));
        shOk("mkdir notes/empty && rmdir notes/empty && test ! -e notes/empty");
        assertThat(shFails("rmdir notes/dir")).contains("Directory not empty");
    }

    @Test
    void cpRecursiveCreatesCopies() {
        shOk("cp -r notes/dir notes/copy");
        assertThat(newVersions(other, before)).containsExactlyInAnyOrder(created("/copy/b.md", "bravo\n", me()),
                created("/copy/sub/c.md", "charlie\n", me()));
        assertThat(storeTree(other)).containsEntry("/dir/b.md", "bravo\n");
    }

    @Test
    void touchCreatesAnEmptyMemoryAndLeavesAnExistingOneAlone() {
        shOk("touch notes/a.md notes/t.md");
        assertThat(newVersions(other, before)).containsExactly(created("/t.md", "", me()));
    }

    @Test
    void grepFindAndCatChangeNothing() {
        assertThat(shOk("grep -r bravo notes | sort").output()).isEqualTo("notes/dir/b.md:bravo\n");
        assertThat(shOk("find notes -name '*.md' | sort").output())
                .isEqualTo("notes/a.md\nnotes/dir/b.md\nnotes/dir/sub/c.md\nnotes/gone/x.md\n");
        assertThat(shOk("cat notes/a.md notes/dir/sub/c.md").output()).isEqualTo("alpha\ncharlie\n");
        assertThat(newVersions(other, before)).isEmpty();
    }

    @Test
    void namesWithSpacesAndUnicode() {
        shOk("mkdir -p 'notes/my notes' && echo 'café ☕' > 'notes/my notes/Über straße.md'");
        assertThat(newVersions(other, before)).containsExactly(
                created("/my notes/Über straße.md", "café ☕\n", me()));
        assertThat(shOk("ls 'notes/my notes'").output()).isEqualTo("Über straße.md\n");
        shOk("mv 'notes/my notes/Über straße.md' 'notes/my notes/日本語 ファイル.md'");
        assertThat(other.getByPath("/my notes/日本語 ファイル.md").text()).isEqualTo("café ☕\n");
    }

    @Test
    void changesOfOthersAreVisibleAtOnce() {
        shOk("cat notes/a.md");
        other.update(other.getByPath("/a.md").id(), MemoryUpdate.content("alpha 2\n"));
        other.create("/z.md", "zulu\n");
        other.delete(other.getByPath("/gone/x.md").id());
        assertThat(shOk("cat notes/a.md notes/z.md").output()).isEqualTo("alpha 2\nzulu\n");
        assertThat(shOk("stat -c %s notes/a.md").output()).isEqualTo("8\n");
        assertThat(sh("test -e notes/gone/x.md").exit()).isEqualTo(1);
        assertThat(sh("test -e notes/gone").exit()).isEqualTo(1);
    }

    @Test
    void aSessionOfMixedCommandsIsExactlyItsVersions() {
        shOk("echo more >> notes/a.md && mv notes/dir/sub notes/subdir && rm notes/gone/x.md"
                + " && mkdir -p notes/n && printf 'new' > notes/n/new.md && sed -i 's/bravo/B/' notes/dir/b.md");
        assertThat(newVersions(other, before)).containsExactly(
                modified("/a.md", "alpha\nmore\n", me()),
                modified("/subdir/c.md", "charlie\n", me()),
                deleted("/gone/x.md", me()),
                created("/n/new.md", "new", me()),
                modified("/dir/b.md", "B\n", me()));
    }

    @Test
    void aMemoryWhoseNameNoLinuxDirectoryCanHoldIsReportedNotListed() {
        String longPath = "/long/" + "n".repeat(300) + ".md";
        other.create(longPath, "x");
        other.create("/long/short.md", "y");
        assertThat(shOk("ls notes/long").output()).isEqualTo("short.md\n");
        assertThat(mount.unreachablePaths()).containsExactly("notes:" + longPath);
        assertThat(sh("echo z > notes/long/" + "m".repeat(256)).output()).contains("File name too long");
    }

    @Test
    void editorsWriteInPlaceAsOneVersion() {
        MemoryId a = other.getByPath("/a.md").id();
        shOk("vi -Es -u NONE -c '%s/alpha/ALPHA/' -c wq notes/a.md");
        shOk("printf ',s/bravo/B/\\nw\\nq\\n' | ed -s notes/dir/b.md");
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "ALPHA\n", me()),
                modified("/dir/b.md", "B\n", me()));
        assertThat(other.getByPath("/a.md").id()).isEqualTo(a);
    }

    @Test
    void aFileDeletedWhileOpenIsOneDeleteAndStaysReadableThroughItsDescriptor() {
        assertThat(shOk("exec 3< notes/a.md; rm notes/a.md; test ! -e notes/a.md; cat <&3; ls -A notes").output())
                .isEqualTo("alpha\ndir\ngone\n");
        assertThat(newVersions(other, before)).containsExactly(deleted("/a.md", me()));
        // perl -i (5.28 and later) writes a temporary file and renames it over the file it still holds open: libfuse
        // hides the open target, and the rename that follows updates its memory: one modified version, id kept
        MemoryId c = other.getByPath("/dir/sub/c.md").id();
        shOk("perl -pi -e 's/charlie/C/' notes/dir/sub/c.md");
        assertThat(newVersions(other, before)).containsExactly(deleted("/a.md", me()),
                modified("/dir/sub/c.md", "C\n", me()));
        assertThat(other.getByPath("/dir/sub/c.md").id()).isEqualTo(c);
    }

    @Test
    void aDirectoryWhoseOnlyChildIsAnEmptyDirectoryStays() {
        // found by ModelTest: the parent of an emptied directory vanished, so the kernel could not reach the child
        shOk("mkdir -p notes/d/e && echo x > notes/d/e/f.md && rm notes/d/e/f.md");
        assertThat(shOk("ls notes").output()).isEqualTo("a.md\nd\ndir\ngone\n");
        assertThat(shOk("test -d notes/d && test -d notes/d/e && ls notes/d && echo y > notes/d/e/g.md && cat notes/d/e/g.md")
                .output()).isEqualTo("e\ny\n");
        assertThat(newVersions(other, before)).containsExactly(created("/d/e/f.md", "x\n", me()),
                deleted("/d/e/f.md", me()), created("/d/e/g.md", "y\n", me()));
    }
}
