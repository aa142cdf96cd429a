package dev.agentmemory.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.Session;
import dev.agentmemory.checkout.SyncReport.RefusalReason;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionId;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Local changes the store must not get: refused, reported, nothing written, the local file kept. */
abstract class RefusalContract extends CheckoutTestBase {

    Checkout checkout;
    Set<VersionId> before;

    @BeforeEach
    void checkOut() {
        checkout = checkout();
        before = versionIds(other);
    }

    private SyncReport.Refusal onlyRefusal(SyncReport report, RefusalReason reason) {
        assertThat(report.refused()).as("%s", report).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(reason));
        assertThat(report.pushed()).isEmpty();
        return report.refused().get(0);
    }

    @Test
    void contentThatIsNotUtf8IsRefusedAndKept() {
        shOk("printf 'ok\\xff\\xfe' > notes/bin.md && printf '\\xc3' >> notes/a.md");
        SyncReport report = checkout.sync();
        assertThat(report.refused()).extracting(SyncReport.Refusal::path, SyncReport.Refusal::reason)
                .containsExactlyInAnyOrder(org.assertj.core.api.Assertions.tuple("/bin.md",
                        RefusalReason.INVALID_CONTENT), org.assertj.core.api.Assertions.tuple("/a.md",
                        RefusalReason.INVALID_CONTENT));
        assertThat(report.pushed()).isEmpty();
        assertThat(newVersions(other, before)).isEmpty();
        assertThat(Files.exists(dir.resolve("notes/bin.md"))).isTrue();
        assertThat(checkout.sync().refused()).as("reported again until fixed").hasSize(2);
        shOk("printf 'alpha\\nfixed\\n' > notes/a.md");
        checkout.sync();
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "alpha\nfixed\n", me()));
    }

    @Test
    void contentOverTheLimitIsRefusedAndKept() {
        shOk("head -c 200000 /dev/zero | tr '\\0' a > notes/big.md");
        SyncReport.Refusal r = onlyRefusal(checkout.sync(), RefusalReason.TOO_LARGE);
        assertThat(r.path()).isEqualTo("/big.md");
        assertThat(r.message()).contains("102400");
        assertThat(newVersions(other, before)).isEmpty();
        assertThat(dir.resolve("notes/big.md")).hasSize(200000);
    }

    @Test
    void anInvalidPathIsRefusedAndKept() {
        shOk("echo x > $'notes/bad\\x01name.md'");
        SyncReport.Refusal r = onlyRefusal(checkout.sync(), RefusalReason.INVALID_PATH);
        assertThat(r.message()).contains("control");
        assertThat(newVersions(other, before)).isEmpty();
        assertThat(Files.exists(dir.resolve("notes/bad\u0001name.md"))).isTrue();
    }

    @Test
    void symlinksAreRefusedAndNeverFollowed() {
        shOk("mkdir -p ../outside && echo secret > ../outside/s.md && ln -s ../../outside/s.md notes/link.md"
                + " && ln -s ../../outside notes/dirlink");
        SyncReport report = checkout.sync();
        assertThat(report.refused()).extracting(SyncReport.Refusal::path, SyncReport.Refusal::reason)
                .containsExactlyInAnyOrder(org.assertj.core.api.Assertions.tuple("/link.md", RefusalReason.SYMLINK),
                        org.assertj.core.api.Assertions.tuple("/dirlink", RefusalReason.SYMLINK));
        assertThat(newVersions(other, before)).isEmpty();
        assertThat(Files.isSymbolicLink(dir.resolve("notes/link.md"))).as("left alone").isTrue();
    }

    @Test
    void specialFilesAreRefused() {
        shOk("mkfifo notes/pipe");
        SyncReport.Refusal r = onlyRefusal(checkout.sync(), RefusalReason.SPECIAL_FILE);
        assertThat(r.path()).isEqualTo("/pipe");
        assertThat(newVersions(other, before)).isEmpty();
    }

    @Test
    void anythingOutsideTheMountsIsRefused() {
        shOk("echo x > stray.md && mkdir -p elsewhere && echo y > elsewhere/f.md && ln -s notes alias");
        SyncReport report = checkout.sync();
        assertThat(report.refused()).extracting(SyncReport.Refusal::mount, SyncReport.Refusal::path,
                SyncReport.Refusal::reason).containsExactlyInAnyOrder(
                        org.assertj.core.api.Assertions.tuple("", "/stray.md", RefusalReason.OUTSIDE_MOUNT),
                        org.assertj.core.api.Assertions.tuple("", "/elsewhere", RefusalReason.OUTSIDE_MOUNT),
                        org.assertj.core.api.Assertions.tuple("", "/alias", RefusalReason.OUTSIDE_MOUNT));
        assertThat(newVersions(other, before)).isEmpty();
        assertThat(Files.exists(dir.resolve("stray.md"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aFullStoreRefusesNewFilesAndKeepsThem() {
        MemoryStore small = workspace.stores().create(NewStore.named("Small").memoryLimit(1).build());
        workspace.memories(small.id(), other.actor()).create("/one.md", "1");
        Session s = workspace.sessions().create(List.of(AttachmentSpec.readWrite(small.id())));
        dir = tmp.resolve("small");
        Checkout c = checkout(s, dir, CheckoutOptions.defaults());
        shOk("echo 2 > small/two.md && echo more >> small/one.md");
        SyncReport report = c.sync();
        assertThat(report.refused()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RefusalReason.STORE_FULL);
            assertThat(r.path()).isEqualTo("/two.md");
        });
        assertThat(report.pushed()).as("edits still work").singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("/one.md"));
        assertThat(Files.exists(dir.resolve("small/two.md"))).isTrue();
    }

    @Test
    void aDirectoryReplacedByALinkIsNeverWrittenThrough() throws Exception {
        shOk("mkdir -p ../outside/dir && echo mine > ../outside/dir/b.md && rm -r notes/dir"
                + " && ln -s ../../outside/dir notes/dir");
        other.update(other.getByPath("/dir/b.md").id(), dev.agentmemory.model.MemoryUpdate.content("theirs\n"));
        SyncReport report = checkout.sync();
        assertThat(report.refused()).extracting(SyncReport.Refusal::path, SyncReport.Refusal::reason)
                .containsExactly(org.assertj.core.api.Assertions.tuple("/dir", RefusalReason.SYMLINK));
        assertThat(report.errors()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("/dir/b.md");
            assertThat(f.message()).contains("symbolic link");
        });
        assertThat(read(tmp.resolve("outside/dir/b.md"))).as("nothing written outside").isEqualTo("mine\n");
        assertThat(contentAt(other, "/dir/b.md")).contains("theirs\n");
        assertThat(Files.isSymbolicLink(dir.resolve("notes/dir"))).isTrue();
    }
}
