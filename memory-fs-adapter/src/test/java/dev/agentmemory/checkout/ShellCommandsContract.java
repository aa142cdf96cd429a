package dev.agentmemory.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.VersionId;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real shell commands on a read-write mount, then sync, then the exact versions. */
abstract class ShellCommandsContract extends CheckoutTestBase {

    Checkout checkout;
    Set<VersionId> before;

    @BeforeEach
    void checkOut() {
        checkout = checkout();
        before = versionIds(other);
    }

    @Test
    void checkoutWritesEveryMemoryOfEveryMount() {
        assertThat(hostTree(dir.resolve("notes"))).isEqualTo(storeTree(other));
        assertThat(hostTree(dir.resolve("docs"))).isEqualTo(storeTree(otherDocs));
        assertThat(Checkout.find(dir)).hasValueSatisfying(info -> {
            assertThat(info.sessionId()).isEqualTo(session.id());
            assertThat(info.mounts()).containsExactly("notes", "docs");
        });
        assertThat(checkout.sync().isEmpty()).isTrue();
    }

    @Test
    void echoAppendIsOneModifiedVersion() {
        shOk("echo more >> notes/a.md");
        SyncReport report = checkout.sync();
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "alpha\nmore\n", me()));
        assertThat(report.pushed()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/a.md");
            assertThat(p.operation()).isEqualTo(Operation.MODIFIED);
            assertThat(p.versionId()).isPresent();
        });
        assertThat(report.isClean()).isTrue();
        assertThat(checkout.sync().isEmpty()).as("a second sync finds nothing").isTrue();
    }

    @Test
    void sedInPlaceIsOneModifiedVersion() {
        shOk("sed -i 's/bravo/BRAVO/' notes/dir/b.md");
        checkout.sync();
        assertThat(newVersions(other, before)).containsExactly(modified("/dir/b.md", "BRAVO\n", me()));
    }

    @Test
    void mvOfAFileIsARenameKeepingTheId() {
        MemoryId id = other.getByPath("/a.md").id();
        shOk("mv notes/a.md notes/renamed.md");
        SyncReport report = checkout.sync();
        assertThat(newVersions(other, before)).containsExactly(modified("/renamed.md", "alpha\n", me()));
        assertThat(other.getByPath("/renamed.md").id()).isEqualTo(id);
        assertThat(report.pushed()).singleElement().satisfies(p ->
                assertThat(p.previousPath()).contains("/a.md"));
    }

    @Test
    void mvOfADirectoryMovesEveryMemoryKeepingIds() {
        MemoryId b = other.getByPath("/dir/b.md").id();
        MemoryId c = other.getByPath("/dir/sub/c.md").id();
        shOk("mv notes/dir notes/moved");
        checkout.sync();
        assertThat(newVersions(other, before)).containsExactlyInAnyOrder(
                modified("/moved/b.md", "bravo\n", me()), modified("/moved/sub/c.md", "charlie\n", me()));
        assertThat(other.getByPath("/moved/b.md").id()).isEqualTo(b);
        assertThat(other.getByPath("/moved/sub/c.md").id()).isEqualTo(c);
        assertThat(other.findByPath("/dir/b.md")).isEmpty();
    }

    @Test
    void rmRecursiveDeletes() {
        shOk("rm -r notes/gone notes/dir");
        checkout.sync();
        assertThat(newVersions(other, before)).containsExactlyInAnyOrder(deleted("/gone/x.md", me()),
                deleted("/dir/b.md", me()), deleted("/dir/sub/c.md", me()));
        assertThat(storeTree(other)).containsOnlyKeys("/a.md");
    }

    @Test
    void mkdirAloneWritesNothingAndAFileInItIsCreated() {
        shOk("mkdir -p notes/new/deep");
        assertThat(checkout.sync().pushed()).isEmpty();
        shOk("echo hi > notes/new/deep/n.md");
        checkout.sync();
        assertThat(newVersions(other, before)).containsExactly(created("/new/deep/n.md", "hi\n", me()));
    }

    @Test
    void cpRecursiveCreatesCopies() {
        shOk("cp -r notes/dir notes/copy");
        checkout.sync();
        assertThat(newVersions(other, before)).containsExactlyInAnyOrder(created("/copy/b.md", "bravo\n", me()),
                created("/copy/sub/c.md", "charlie\n", me()));
        assertThat(storeTree(other)).containsEntry("/dir/b.md", "bravo\n");
    }

    @Test
    void touchCreatesAnEmptyMemoryAndLeavesAnExistingOneAlone() {
        shOk("touch notes/a.md notes/t.md");
        checkout.sync();
        assertThat(newVersions(other, before)).containsExactly(created("/t.md", "", me()));
    }

    @Test
    void grepAndFindSeeTheMemoriesAndChangeNothing() {
        assertThat(shOk("grep -r bravo notes | sort").output()).isEqualTo("notes/dir/b.md:bravo\n");
        assertThat(shOk("find notes -name '*.md' | sort").output())
                .isEqualTo("notes/a.md\nnotes/dir/b.md\nnotes/dir/sub/c.md\nnotes/gone/x.md\n");
        assertThat(checkout.sync().isEmpty()).isTrue();
        assertThat(newVersions(other, before)).isEmpty();
    }

    @Test
    void aSessionOfMixedCommandsIsExactlyItsVersions() {
        shOk("echo more >> notes/a.md && mv notes/dir/sub notes/subdir && rm notes/gone/x.md"
                + " && mkdir -p notes/n && printf 'new' > notes/n/new.md && sed -i 's/bravo/B/' notes/dir/b.md");
        SyncReport report = checkout.sync();
        assertThat(report.isClean()).as("%s", report).isTrue();
        assertThat(newVersions(other, before)).containsExactlyInAnyOrder(
                modified("/a.md", "alpha\nmore\n", me()),
                modified("/subdir/c.md", "charlie\n", me()),
                deleted("/gone/x.md", me()),
                created("/n/new.md", "new", me()),
                modified("/dir/b.md", "B\n", me()));
        assertThat(hostTree(dir.resolve("notes"))).isEqualTo(storeTree(other));
    }

    @Test
    void changesOfOthersArePulledIntoUntouchedFiles() throws Exception {
        other.update(other.getByPath("/a.md").id(), dev.agentmemory.model.MemoryUpdate.content("alpha 2\n"));
        other.create("/z.md", "zulu\n");
        other.delete(other.getByPath("/gone/x.md").id());
        other.move("/dir/", "/d2/");
        SyncReport report = checkout.sync();
        assertThat(report.isClean()).as("%s", report).isTrue();
        assertThat(report.pushed()).isEmpty();
        assertThat(report.pulled()).extracting(SyncReport.Pulled::path, SyncReport.Pulled::operation,
                SyncReport.Pulled::previousPath).containsExactlyInAnyOrder(
                        org.assertj.core.api.Assertions.tuple("/a.md", Operation.MODIFIED, Optional.empty()),
                        org.assertj.core.api.Assertions.tuple("/z.md", Operation.CREATED, Optional.empty()),
                        org.assertj.core.api.Assertions.tuple("/gone/x.md", Operation.DELETED, Optional.empty()),
                        org.assertj.core.api.Assertions.tuple("/d2/b.md", Operation.MODIFIED, Optional.of("/dir/b.md")),
                        org.assertj.core.api.Assertions.tuple("/d2/sub/c.md", Operation.MODIFIED,
                                Optional.of("/dir/sub/c.md")));
        assertThat(hostTree(dir.resolve("notes"))).isEqualTo(storeTree(other));
        assertThat(Files.exists(dir.resolve("notes/dir"))).as("emptied directory removed").isFalse();
        assertThat(checkout.sync().isEmpty()).isTrue();
        // a local edit of a pulled file is pushed against the pulled content
        shOk("echo x >> notes/z.md");
        checkout.sync();
        Memory z = other.getByPath("/z.md");
        assertThat(z.text()).isEqualTo("zulu\nx\n");
    }

    @Test
    void reopenedCheckoutPushesWhatChangedWhileItWasClosed() {
        checkout.close();
        shOk("echo later >> notes/a.md");
        try (Checkout again = Checkout.open(session, dir)) {
            again.sync();
        }
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "alpha\nlater\n", me()));
    }
}
