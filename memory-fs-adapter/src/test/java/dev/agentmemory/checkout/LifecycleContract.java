package dev.agentmemory.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.model.VersionId;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Creating, reopening, locking, closing and background sync. */
abstract class LifecycleContract extends CheckoutTestBase {

    @Test
    void aNonEmptyDirectoryIsRefusedAndLeftAlone() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("mine.txt"), "keep");
        assertThatThrownBy(() -> Checkout.create(session, dir)).isInstanceOf(CheckoutException.class)
                .hasMessageContaining("not empty");
        assertThat(hostTree(dir)).containsOnlyKeys("/mine.txt");
    }

    @Test
    void aCheckoutCanBeOpenOnlyOnceAtATime() {
        checkout();
        assertThatThrownBy(() -> Checkout.open(session, dir)).isInstanceOf(CheckoutException.class)
                .hasMessageContaining("already open");
    }

    @Test
    void anotherSessionCannotOpenIt() {
        checkout().close();
        assertThatThrownBy(() -> Checkout.open(newSession(), dir)).isInstanceOf(CheckoutException.class)
                .hasMessageContaining(session.id().value());
    }

    @Test
    void aDirectoryThatIsNoCheckoutCannotBeOpened() throws Exception {
        Files.createDirectories(dir);
        assertThat(Checkout.find(dir)).isEmpty();
        assertThatThrownBy(() -> Checkout.open(session, dir)).isInstanceOf(CheckoutException.class)
                .hasMessageContaining("not a checkout");
    }

    @Test
    void aClosedCheckoutDoesNotSync() {
        Checkout c = checkout();
        c.close();
        c.close();
        assertThatThrownBy(c::sync).isInstanceOf(CheckoutException.class).hasMessageContaining("closed");
    }

    @Test
    void progressIsReportedPerFile() {
        List<String> seen = new CopyOnWriteArrayList<>();
        checkout(session, dir, CheckoutOptions.defaults().withProgress((phase, done, total) ->
                seen.add(phase + ":" + done)));
        assertThat(seen).containsExactly("checkout:1", "checkout:2", "checkout:3", "checkout:4", "checkout:5",
                "checkout:6", "checkout:7", "checkout:8");
    }

    @Test
    void anUnchangedSyncDoesNotRewriteTheManifest() throws Exception {
        Checkout c = checkout();
        c.sync();
        var manifest = dir.resolve(Checkout.METADATA_DIRECTORY).resolve("manifest");
        Files.setLastModifiedTime(manifest, FileTime.fromMillis(0));
        assertThat(c.sync().isEmpty()).isTrue();
        assertThat(Files.getLastModifiedTime(manifest).toMillis()).isZero();
    }

    @Test
    void aSameSizeRewriteIsSeen() {
        Checkout c = checkout();
        Set<VersionId> before = versionIds(other);
        shOk("printf 'ALPHA\\n' > notes/a.md");
        c.sync();
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "ALPHA\n", me()));
    }

    @Test
    void backgroundSyncPushesWithoutBeingAsked() throws Exception {
        CountDownLatch pushed = new CountDownLatch(1);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true);
        toClose.add(executor::shutdownNow);
        Checkout c = checkout(session, dir, CheckoutOptions.defaults().withBackgroundSync(Duration.ofMillis(20))
                .withExecutor(executor).withBackgroundListener(report -> {
                    if (!report.pushed().isEmpty()) {
                        pushed.countDown();
                    }
                }));
        Set<VersionId> before = versionIds(other);
        shOk("echo bg >> notes/a.md");
        assertThat(pushed.await(60, TimeUnit.SECONDS)).as("a background sync pushed the edit").isTrue();
        assertThat(newVersions(other, before)).containsExactly(modified("/a.md", "alpha\nbg\n", me()));
        c.close();
        assertThat(executor.getQueue()).as("close cancels the background sync").isEmpty();
        assertThat(executor.isShutdown()).as("a given executor is not shut down").isFalse();
    }

    @Test
    void closingStopsTheCheckoutsOwnBackgroundThread() throws Exception {
        dir = tmp.resolve("own-thread");
        String threadName = "agent-memory-checkout-sync own-thread";
        Duration interval = Duration.ofMillis(50);
        CountDownLatch twoSyncs = new CountDownLatch(2);
        List<SyncReport> afterClose = new CopyOnWriteArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        Checkout c = checkout(session, dir, CheckoutOptions.defaults().withBackgroundSync(interval)
                .withBackgroundListener(report -> {
                    if (closed.get()) {
                        afterClose.add(report);
                    }
                    twoSyncs.countDown();
                }));
        assertThat(twoSyncs.await(60, TimeUnit.SECONDS)).as("the background thread syncs").isTrue();
        assertThat(liveThreads(threadName)).as("the checkout runs its own named thread").isNotEmpty();

        c.close();
        closed.set(true);
        assertThat(liveThreads(threadName)).as("close() ends the checkout's own thread").isEmpty();

        Set<VersionId> before = versionIds(other);
        shOk("echo after-close >> notes/a.md");
        // Nothing must happen, which can only be seen by waiting: several intervals, generously.
        Thread.sleep(interval.multipliedBy(6).toMillis());
        assertThat(newVersions(other, before)).as("nothing pushed after close").isEmpty();
        assertThat(afterClose).as("no background sync after close").isEmpty();
        assertThat(liveThreads(threadName)).isEmpty();
    }

    private static List<Thread> liveThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .toList();
    }

    @Test
    void optionsRejectANonPositiveInterval() {
        assertThatThrownBy(() -> CheckoutOptions.defaults().withBackgroundSync(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingMountDirectoryDeletesNothing() {
        Checkout c = checkout();
        Set<VersionId> before = versionIds(other);
        shOk("rm -r notes");
        SyncReport report = c.sync();
        assertThat(report.errors()).singleElement().satisfies(f -> {
            assertThat(f.mount()).isEqualTo("notes");
            assertThat(f.code()).isEqualTo("mount_directory_missing");
        });
        assertThat(newVersions(other, before)).isEmpty();
        shOk("mkdir notes && echo only > notes/only.md");
        c.sync();
        assertThat(storeTree(other)).containsOnlyKeys("/only.md");
    }

    @Test
    void aFileOrANestedCheckoutIsRefused() throws Exception {
        Files.createDirectories(tmp.resolve("x"));
        Files.writeString(tmp.resolve("x/file"), "keep");
        assertThatThrownBy(() -> Checkout.create(session, tmp.resolve("x/file"))).isInstanceOf(
                CheckoutException.class).hasMessageContaining("not a directory");
        assertThat(read(tmp.resolve("x/file"))).isEqualTo("keep");
        checkout();
        assertThatThrownBy(() -> Checkout.create(newSession(), dir.resolve("notes/inner")))
                .isInstanceOf(CheckoutException.class).hasMessageContaining("inside the checkout");
        assertThat(Files.exists(dir.resolve("notes/inner"))).isFalse();
    }
}
