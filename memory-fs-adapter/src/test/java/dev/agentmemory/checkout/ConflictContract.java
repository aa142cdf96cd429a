package dev.agentmemory.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.Session;
import dev.agentmemory.checkout.SyncReport.ConflictKind;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.VersionId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each combination of a local change and another writer's change, and what the sync makes of it. */
abstract class ConflictContract extends CheckoutTestBase {

    Checkout checkout;
    Set<VersionId> before;

    @BeforeEach
    void checkOut() {
        checkout = checkout();
        before = versionIds(other);
    }

    private SyncReport.Conflict onlyConflict(SyncReport report, ConflictKind kind) {
        assertThat(report.conflicts()).as("%s", report).singleElement()
                .satisfies(c -> assertThat(c.kind()).isEqualTo(kind));
        assertThat(report.errors()).isEmpty();
        return report.conflicts().get(0);
    }

    private static void assertConflictName(Path copy, String base, String ext) {
        assertThat(copy.getFileName().toString()).matches(base.replace(".", "\\.")
                + "\\.conflict-\\d{8}T\\d{6}Z(-\\d+)?" + ext.replace(".", "\\."));
        assertThat(Checkout.isConflictFileName(copy.getFileName().toString())).isTrue();
    }

    @Test
    void twoSessionsEditingTheSameFileLoseNeitherEdit() {
        Session second = newSession();
        Path dirB = tmp.resolve("second");
        Checkout b = checkout(second, dirB, CheckoutOptions.defaults());
        shOk("echo from-a >> notes/a.md && echo from-b >> ../second/notes/a.md");

        SyncReport first = checkout.sync();
        assertThat(first.pushed()).hasSize(1);
        SyncReport report = b.sync();

        SyncReport.Conflict c = onlyConflict(report, ConflictKind.BOTH_MODIFIED);
        assertThat(c.path()).isEqualTo("/a.md");
        assertThat(c.localCopy()).hasValueSatisfying(copy -> {
            assertConflictName(copy, "a", ".md");
            assertThat(copy.getParent()).isEqualTo(dirB.resolve("notes"));
            assertThat(read(copy)).isEqualTo("alpha\nfrom-b\n");
        });
        assertThat(read(dirB.resolve("notes/a.md"))).isEqualTo("alpha\nfrom-a\n");
        assertThat(contentAt(other, "/a.md")).contains("alpha\nfrom-a\n");
        assertThat(report.pushed()).isEmpty();
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "alpha\nfrom-a\n", me()));
        assertThat(b.sync().isEmpty()).as("the conflict file is never pushed").isTrue();
        assertThat(newVersions(other, before)).hasSize(1);

        // Resolving: merge into the file and delete the conflict file; the merge is pushed as B.
        shOk("cd ../second/notes && printf 'alpha\\nfrom-a\\nfrom-b\\n' > a.md && rm a.conflict-*.md");
        b.sync();
        assertThat(contentAt(other, "/a.md")).contains("alpha\nfrom-a\nfrom-b\n");
        assertThat(newVersions(other, before)).last().satisfies(v ->
                assertThat(v.actor()).isEqualTo(dev.agentmemory.model.Actor.session(second.id())));
    }

    @Test
    void localEditAgainstRemoteDeleteKeepsTheEditInAConflictFile() {
        shOk("echo mine >> notes/a.md");
        other.delete(other.getByPath("/a.md").id());
        SyncReport.Conflict c = onlyConflict(checkout.sync(), ConflictKind.LOCAL_MODIFIED_REMOTE_DELETED);
        assertThat(c.localCopy()).hasValueSatisfying(copy -> assertThat(read(copy)).isEqualTo("alpha\nmine\n"));
        assertThat(Files.exists(dir.resolve("notes/a.md"))).isFalse();
        assertThat(other.findByPath("/a.md")).isEmpty();
        assertThat(newVersions(other, before)).containsExactly(deleted("/a.md", other.actor()));
        assertThat(checkout.sync().isEmpty()).isTrue();
    }

    @Test
    void localDeleteAgainstRemoteEditRestoresTheEdit() {
        shOk("rm notes/a.md");
        other.update(other.getByPath("/a.md").id(), MemoryUpdate.content("theirs\n"));
        SyncReport.Conflict c = onlyConflict(checkout.sync(), ConflictKind.LOCAL_DELETED_REMOTE_MODIFIED);
        assertThat(c.localCopy()).isEmpty();
        assertThat(read(dir.resolve("notes/a.md"))).isEqualTo("theirs\n");
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "theirs\n", other.actor()));
        assertThat(checkout.sync().isEmpty()).isTrue();
    }

    @Test
    void localRenameAgainstRemoteEditKeepsBoth() {
        shOk("mv notes/a.md notes/r.md");
        other.update(other.getByPath("/a.md").id(), MemoryUpdate.content("theirs\n"));
        SyncReport.Conflict c = onlyConflict(checkout.sync(), ConflictKind.LOCAL_MOVED_REMOTE_CHANGED);
        assertThat(c.localCopy()).hasValueSatisfying(copy -> {
            assertConflictName(copy, "r", ".md");
            assertThat(read(copy)).isEqualTo("alpha\n");
        });
        assertThat(read(dir.resolve("notes/a.md"))).isEqualTo("theirs\n");
        assertThat(Files.exists(dir.resolve("notes/r.md"))).isFalse();
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "theirs\n", other.actor()));
    }

    @Test
    void localEditAgainstRemoteMoveFollowsTheMove() {
        shOk("echo mine >> notes/a.md");
        other.update(other.getByPath("/a.md").id(), MemoryUpdate.path("/moved.md"));
        SyncReport report = checkout.sync();
        assertThat(report.isClean()).as("%s", report).isTrue();
        assertThat(newVersions(other, before)).containsExactly(modified("/moved.md", "alpha\n", other.actor()),
                modified("/moved.md", "alpha\nmine\n", me()));
        assertThat(hostTree(dir.resolve("notes"))).isEqualTo(storeTree(other));
    }

    @Test
    void bothCreatingTheSamePathWithOtherContentKeepsBoth() {
        shOk("echo mine > notes/n.md");
        other.create("/n.md", "theirs\n");
        SyncReport.Conflict c = onlyConflict(checkout.sync(), ConflictKind.BOTH_CREATED);
        assertThat(c.localCopy()).hasValueSatisfying(copy -> assertThat(read(copy)).isEqualTo("mine\n"));
        assertThat(read(dir.resolve("notes/n.md"))).isEqualTo("theirs\n");
        assertThat(newVersions(other, before)).containsExactly(created("/n.md", "theirs\n", other.actor()));
    }

    @Test
    void bothCreatingTheSameContentIsNoConflict() {
        shOk("echo same > notes/n.md");
        other.create("/n.md", "same\n");
        SyncReport report = checkout.sync();
        assertThat(report.isEmpty()).as("%s", report).isTrue();
        shOk("echo more >> notes/n.md");
        checkout.sync();
        assertThat(newVersions(other, before)).containsExactly(created("/n.md", "same\n", other.actor()),
                modified("/n.md", "same\nmore\n", me()));
    }

    @Test
    void bothEditingToTheSameContentIsNoConflict() {
        shOk("echo same >> notes/a.md");
        other.update(other.getByPath("/a.md").id(), MemoryUpdate.content("alpha\nsame\n"));
        SyncReport report = checkout.sync();
        assertThat(report.isClean()).as("%s", report).isTrue();
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "alpha\nsame\n", other.actor()));
    }

    @Test
    void bothDeletingIsNoConflict() {
        shOk("rm notes/a.md");
        other.delete(other.getByPath("/a.md").id());
        assertThat(checkout.sync().isEmpty()).isTrue();
        assertThat(newVersions(other, before)).containsExactly(deleted("/a.md", other.actor()));
    }

    @Test
    void aNewFileWhereTheStoreHasADirectoryIsSetAside() {
        shOk("echo mine > notes/p");
        other.create("/p/q.md", "theirs\n");
        SyncReport report = checkout.sync();
        SyncReport.Conflict c = onlyConflict(report, ConflictKind.PATH_TAKEN);
        assertThat(c.localCopy()).hasValueSatisfying(copy -> assertThat(read(copy)).isEqualTo("mine\n"));
        assertThat(read(dir.resolve("notes/p/q.md"))).isEqualTo("theirs\n");
        assertThat(newVersions(other, before)).containsExactly(created("/p/q.md", "theirs\n", other.actor()));
    }

    @Test
    void anUntouchedFileDeletedRemotelyIsDeletedLocally() {
        other.delete(other.getByPath("/gone/x.md").id());
        SyncReport report = checkout.sync();
        assertThat(report.conflicts()).isEmpty();
        assertThat(Files.exists(dir.resolve("notes/gone"))).isFalse();
    }

    /**
     * Makes the checkout miss what others changed so far, as if they changed it between its look at the store and
     * its write: the manifest's revision for {@code notes} is set to the store's current one. The sync then relies on
     * its preconditions alone.
     */
    private Checkout blindToOthers() throws Exception {
        checkout.close();
        Path manifest = dir.resolve(Checkout.METADATA_DIRECTORY).resolve("manifest");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(manifest)) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("mount") && f[1].equals("notes")) {
                f[4] = Long.toString(other.revision());
                line = String.join("\t", f);
            }
            lines.add(line);
        }
        Files.write(manifest, lines);
        checkout = Checkout.open(session, dir);
        toClose.add(checkout);
        return checkout;
    }

    @Test
    void aRacedEditIsCaughtByItsPrecondition() throws Exception {
        other.update(other.getByPath("/a.md").id(), MemoryUpdate.content("theirs\n"));
        shOk("echo mine >> notes/a.md && echo fine >> notes/dir/b.md");
        SyncReport report = blindToOthers().sync();
        SyncReport.Conflict c = onlyConflict(report, ConflictKind.BOTH_MODIFIED);
        assertThat(c.localCopy()).hasValueSatisfying(copy -> assertThat(read(copy)).isEqualTo("alpha\nmine\n"));
        assertThat(read(dir.resolve("notes/a.md"))).isEqualTo("theirs\n");
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "theirs\n", other.actor()),
                modified("/dir/b.md", "bravo\nfine\n", me()));
    }

    @Test
    void aRacedDeleteIsCaughtByItsPrecondition() throws Exception {
        other.update(other.getByPath("/a.md").id(), MemoryUpdate.content("theirs\n"));
        shOk("rm notes/a.md");
        onlyConflict(blindToOthers().sync(), ConflictKind.LOCAL_DELETED_REMOTE_MODIFIED);
        assertThat(read(dir.resolve("notes/a.md"))).isEqualTo("theirs\n");
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "theirs\n", other.actor()));
    }

    @Test
    void aRacedRenameIsCaughtByItsPrecondition() throws Exception {
        other.update(other.getByPath("/a.md").id(), MemoryUpdate.content("theirs\n"));
        shOk("mv notes/a.md notes/r.md");
        onlyConflict(blindToOthers().sync(), ConflictKind.LOCAL_MOVED_REMOTE_CHANGED);
        assertThat(read(dir.resolve("notes/a.md"))).isEqualTo("theirs\n");
        assertThat(other.findByPath("/r.md")).isEmpty();
    }

    @Test
    void aRacedCreateFindsThePathTaken() throws Exception {
        other.create("/n.md", "theirs\n");
        shOk("echo mine > notes/n.md");
        SyncReport.Conflict c = onlyConflict(blindToOthers().sync(), ConflictKind.PATH_TAKEN);
        assertThat(c.localCopy()).hasValueSatisfying(copy -> assertThat(read(copy)).isEqualTo("mine\n"));
        assertThat(contentAt(other, "/n.md")).contains("theirs\n");
    }

    @Test
    void anEditRacingARemoteDeleteKeepsTheEdit() throws Exception {
        other.delete(other.getByPath("/a.md").id());
        shOk("echo mine >> notes/a.md");
        onlyConflict(blindToOthers().sync(), ConflictKind.LOCAL_MODIFIED_REMOTE_DELETED);
        assertThat(other.findByPath("/a.md")).isEmpty();
        assertThat(Files.exists(dir.resolve("notes/a.md"))).isFalse();
    }
}
