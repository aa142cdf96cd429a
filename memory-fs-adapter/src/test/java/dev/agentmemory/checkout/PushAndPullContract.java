package dev.agentmemory.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.VersionId;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One sync that both pushes a local change and pulls another session's change to another file: the pushed memory
 * must not look deleted in the store (it was listed before the push), and a second sync must find nothing.
 */
abstract class PushAndPullContract extends CheckoutTestBase {

    Checkout checkout;
    Set<VersionId> before;
    Session otherSession;
    Memories theirs;

    @BeforeEach
    void checkOut() {
        checkout = checkout();
        otherSession = newSession();
        theirs = otherSession.mount("notes");
        before = versionIds(other);
    }

    Actor them() {
        return Actor.session(otherSession.id());
    }

    /** The sync's report, clean, with the host tree equal to the store, and a second sync that finds nothing. */
    private SyncReport syncTwice() {
        SyncReport report = checkout.sync();
        assertThat(report.isClean()).as("%s", report).isTrue();
        assertThat(hostTree(dir.resolve("notes"))).isEqualTo(storeTree(other));
        SyncReport second = checkout.sync();
        assertThat(second.isEmpty()).as("a second sync finds nothing: %s", second).isTrue();
        assertThat(hostTree(dir.resolve("notes"))).isEqualTo(storeTree(other));
        return report;
    }

    @Test
    void localCreateAndRemoteCreateOfAnotherFile() {
        shOk("echo new > notes/new.md");
        theirs.create("/c.md", "charlie 2\n");

        SyncReport report = syncTwice();

        assertThat(read(dir.resolve("notes/new.md"))).isEqualTo("new\n");
        assertThat(read(dir.resolve("notes/c.md"))).isEqualTo("charlie 2\n");
        assertThat(newVersions(other, before)).containsExactly(created("/c.md", "charlie 2\n", them()),
                created("/new.md", "new\n", me()));
        assertThat(report.pushed()).extracting(SyncReport.Pushed::path, SyncReport.Pushed::operation)
                .containsExactly(tuple("/new.md", Operation.CREATED));
        assertThat(report.pulled()).extracting(SyncReport.Pulled::path, SyncReport.Pulled::operation)
                .containsExactly(tuple("/c.md", Operation.CREATED));
    }

    @Test
    void localCreateAndRemoteEditAndDeleteOfOtherFiles() {
        shOk("echo new > notes/new.md");
        theirs.update(theirs.getByPath("/a.md").id(), MemoryUpdate.content("alpha 2\n"));
        theirs.delete(theirs.getByPath("/gone/x.md").id());

        SyncReport report = syncTwice();

        assertThat(read(dir.resolve("notes/new.md"))).isEqualTo("new\n");
        assertThat(storeTree(other)).containsEntry("/new.md", "new\n").containsEntry("/a.md", "alpha 2\n")
                .doesNotContainKey("/gone/x.md");
        assertThat(report.pushed()).extracting(SyncReport.Pushed::path, SyncReport.Pushed::operation)
                .containsExactly(tuple("/new.md", Operation.CREATED));
        assertThat(report.pulled()).extracting(SyncReport.Pulled::path, SyncReport.Pulled::operation)
                .containsExactlyInAnyOrder(tuple("/a.md", Operation.MODIFIED), tuple("/gone/x.md", Operation.DELETED));
    }

    @Test
    void localEditAndRemoteCreateOfAnotherFile() {
        shOk("echo more >> notes/a.md");
        theirs.create("/z.md", "zulu\n");

        SyncReport report = syncTwice();

        assertThat(read(dir.resolve("notes/a.md"))).isEqualTo("alpha\nmore\n");
        assertThat(read(dir.resolve("notes/z.md"))).isEqualTo("zulu\n");
        assertThat(newVersions(other, before)).containsExactly(created("/z.md", "zulu\n", them()),
                modified("/a.md", "alpha\nmore\n", me()));
        assertThat(report.pushed()).extracting(SyncReport.Pushed::path, SyncReport.Pushed::operation)
                .containsExactly(tuple("/a.md", Operation.MODIFIED));
        assertThat(report.pulled()).extracting(SyncReport.Pulled::path, SyncReport.Pulled::operation)
                .containsExactly(tuple("/z.md", Operation.CREATED));
    }

    @Test
    void localRenameAndRemoteEditOfAnotherFile() {
        var id = other.getByPath("/dir/b.md").id();
        shOk("mv notes/dir/b.md notes/b2.md");
        theirs.update(theirs.getByPath("/a.md").id(), MemoryUpdate.content("alpha 2\n"));

        SyncReport report = syncTwice();

        assertThat(read(dir.resolve("notes/b2.md"))).isEqualTo("bravo\n");
        assertThat(read(dir.resolve("notes/a.md"))).isEqualTo("alpha 2\n");
        assertThat(other.getByPath("/b2.md").id()).isEqualTo(id);
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "alpha 2\n", them()),
                modified("/b2.md", "bravo\n", me()));
        assertThat(report.pushed()).extracting(SyncReport.Pushed::path, SyncReport.Pushed::operation,
                SyncReport.Pushed::previousPath).containsExactly(tuple("/b2.md", Operation.MODIFIED,
                        Optional.of("/dir/b.md")));
        assertThat(report.pulled()).extracting(SyncReport.Pulled::path, SyncReport.Pulled::operation)
                .containsExactly(tuple("/a.md", Operation.MODIFIED));
    }

    @Test
    void localDeleteAndRemoteCreateOfAnotherFile() {
        shOk("rm notes/gone/x.md");
        theirs.create("/z.md", "zulu\n");

        SyncReport report = syncTwice();

        assertThat(read(dir.resolve("notes/z.md"))).isEqualTo("zulu\n");
        assertThat(other.findByPath("/gone/x.md")).isEmpty();
        assertThat(newVersions(other, before)).containsExactly(created("/z.md", "zulu\n", them()),
                deleted("/gone/x.md", me()));
        assertThat(report.pushed()).extracting(SyncReport.Pushed::path, SyncReport.Pushed::operation)
                .containsExactly(tuple("/gone/x.md", Operation.DELETED));
        assertThat(report.pulled()).extracting(SyncReport.Pulled::path, SyncReport.Pulled::operation)
                .containsExactly(tuple("/z.md", Operation.CREATED));
    }

    @Test
    void localCopyOfADirectoryAndRemoteMoveOfAnother() {
        shOk("cp -r notes/dir notes/copy");
        theirs.move("/gone/", "/went/");

        SyncReport report = syncTwice();

        assertThat(hostTree(dir.resolve("notes"))).containsEntry("/copy/b.md", "bravo\n")
                .containsEntry("/copy/sub/c.md", "charlie\n").containsEntry("/went/x.md", "x-ray\n")
                .doesNotContainKey("/gone/x.md");
        assertThat(report.pushed()).extracting(SyncReport.Pushed::path, SyncReport.Pushed::operation)
                .containsExactlyInAnyOrder(tuple("/copy/b.md", Operation.CREATED),
                        tuple("/copy/sub/c.md", Operation.CREATED));
        assertThat(report.pulled()).extracting(SyncReport.Pulled::path, SyncReport.Pulled::operation,
                SyncReport.Pulled::previousPath).containsExactly(tuple("/went/x.md", Operation.MODIFIED,
                        Optional.of("/gone/x.md")));
    }
}
