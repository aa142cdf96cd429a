package dev.agentmemory.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.checkout.SyncReport.RefusalReason;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.VersionId;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read-only mount {@code docs}: each shell command is stopped by the permissions (as a normal user) or undone by
 * the next sync (as root, where permissions stop nothing). Run as root, each command runs twice: as root and, through
 * {@code setpriv}, as the unprivileged user {@code nobody}.
 */
abstract class ReadOnlyContract extends CheckoutTestBase {

    static final List<String> WRITES = List.of(
            "echo more >> docs/a.md",
            "sed -i 's/bravo/BRAVO/' docs/dir/b.md",
            "mv docs/a.md docs/renamed.md",
            "mv docs/dir docs/moved",
            "rm -r docs/gone",
            "rm docs/a.md",
            "mkdir -p docs/new/deep",
            "mkdir -p docs/new && echo hi > docs/new/n.md",
            "cp -r docs/dir docs/copy",
            "touch docs/t.md",
            "touch docs/a.md",
            "ln -s /etc/hostname docs/link.md",
            "printf 'alpha\\n' > docs/a.md.tmp && mv docs/a.md.tmp docs/a.md");

    Checkout checkout;
    Set<VersionId> before;

    @BeforeEach
    void checkOut() {
        checkout = checkout();
        before = versionIds(otherDocs);
    }

    static Stream<Arguments> writes() {
        List<Arguments> all = new ArrayList<>();
        for (String w : WRITES) {
            all.add(Arguments.of(w, false));
            if (isRoot()) {
                all.add(Arguments.of(w, true));
            }
        }
        return all.stream();
    }

    @Test
    void checkedOutWithoutWritePermission() throws Exception {
        Set<PosixFilePermission> file = Files.getPosixFilePermissions(dir.resolve("docs/dir/b.md"));
        Set<PosixFilePermission> folder = Files.getPosixFilePermissions(dir.resolve("docs/dir"));
        Set<PosixFilePermission> root = Files.getPosixFilePermissions(dir.resolve("docs"));
        assertThat(file).doesNotContain(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_WRITE);
        assertThat(folder).doesNotContain(PosixFilePermission.OWNER_WRITE);
        assertThat(root).doesNotContain(PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(dir.resolve("notes/a.md"))).contains(PosixFilePermission.OWNER_WRITE);
    }

    @ParameterizedTest(name = "{0} (as nobody: {1})")
    @MethodSource("writes")
    void everyWriteIsStoppedOrUndone(String command, boolean asNobody) throws Exception {
        Shell shell = sh(command, asNobody);
        SyncReport report = checkout.sync();

        assertThat(newVersions(otherDocs, before)).as("nothing written to the store").isEmpty();
        assertThat(hostTree(dir.resolve("docs"))).as("the mount is as the store has it").isEqualTo(
                storeTree(otherDocs));
        assertThat(report.pushed()).isEmpty();
        assertThat(report.errors()).as("%s", report).isEmpty();
        assertThat(report.refused()).allSatisfy(r -> {
            assertThat(r.mount()).isEqualTo("docs");
            assertThat(r.restored()).isTrue();
        });
        boolean changesContent = !command.startsWith("touch docs/a.md") && !command.startsWith("printf 'alpha");
        if (shell.exit() == 0 && changesContent) {
            assertThat(report.refused()).as("a write that got through is reported").isNotEmpty();
        }
        if (asNobody) {
            assertThat(shell.exit()).as("permissions stop `%s` for a normal user: %s", command, shell.output())
                    .isNotZero();
        }
        try (Stream<java.nio.file.Path> all = Files.walk(dir.resolve("docs"))) {
            all.forEach(p -> assertThat(Files.isWritable(p) && !isRoot()).as("still read-only: %s", p).isFalse());
        }
        try (Stream<java.nio.file.Path> all = Files.walk(dir.resolve("docs"))) {
            all.forEach(p -> {
                try {
                    assertThat(Files.getPosixFilePermissions(p)).as("%s", p)
                            .doesNotContain(PosixFilePermission.OWNER_WRITE);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        assertThat(checkout.sync().isEmpty()).as("a second sync finds nothing").isTrue();
    }

    @Test
    void aRefusedEditIsSavedBeforeItIsUndone() {
        Shell shell = sh("echo mine >> docs/a.md");
        SyncReport report = checkout.sync();
        if (shell.exit() == 0) { // root: the write got through
            assertThat(report.refused()).singleElement().satisfies(r -> {
                assertThat(r.reason()).isEqualTo(RefusalReason.READ_ONLY);
                assertThat(r.savedCopy()).hasValueSatisfying(p -> {
                    assertThat(read(p)).isEqualTo("alpha\nmine\n");
                    assertThat(p.startsWith(dir.resolve(Checkout.METADATA_DIRECTORY))).isTrue();
                });
            });
        }
        assertThat(read(dir.resolve("docs/a.md"))).isEqualTo("alpha\n");
    }

    @Test
    void changesOfOthersArePulledIntoTheReadOnlyMount() throws Exception {
        otherDocs.update(otherDocs.getByPath("/a.md").id(), MemoryUpdate.content("alpha 2\n"));
        otherDocs.create("/new/n.md", "n\n");
        otherDocs.delete(otherDocs.getByPath("/gone/x.md").id());
        SyncReport report = checkout.sync();
        assertThat(report.isClean()).as("%s", report).isTrue();
        assertThat(report.pulled()).hasSize(3);
        assertThat(hostTree(dir.resolve("docs"))).isEqualTo(storeTree(otherDocs));
        assertThat(Files.getPosixFilePermissions(dir.resolve("docs/new/n.md")))
                .doesNotContain(PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(dir.resolve("docs/new")))
                .doesNotContain(PosixFilePermission.OWNER_WRITE);
    }
}
