package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.Memories;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Preconditions and writers: updates and deletes take an optional {@code content_sha256}
 * precondition; a mismatch fails with the current SHA-256 and version id and writes nothing; a write whose result is
 * already stored succeeds without a version; a conditional write never loses another writer's update; unconditional
 * writes are last-writer-wins and each is a version. The small multi-threaded checks here complement the randomized
 * concurrency suite.
 */
public abstract class PreconditionContract extends ContractSupport {

    @Test
    void updateWithAStaleShaFailsWithTheCurrentState() {
        Memories m = freshStore();
        Memory read = m.create("/a.md", "v1");
        Memory current = m.update(read.id(), MemoryUpdate.content("v2"));
        PreconditionFailedException e = rejects(PreconditionFailedException.class,
                () -> m.update(read.id(), MemoryUpdate.content("v3 from a stale read")
                        .ifContentSha256(read.contentSha256())));
        assertThat(e.memoryId()).isEqualTo(read.id());
        assertThat(e.expectedSha256()).isEqualTo(read.contentSha256());
        assertThat(e.currentSha256()).isEqualTo(current.contentSha256()).isEqualTo(sha256("v2"));
        assertThat(e.currentVersionId()).isEqualTo(current.headVersionId());
        assertThat(e.getMessage()).contains(current.contentSha256());
        assertThat(e.code()).isEqualTo("memory_precondition_failed_error");
    }

    @Test
    void renameWithAStaleShaFails() {
        Memories m = freshStore();
        Memory read = m.create("/a.md", "v1");
        Memory current = m.update(read.id(), MemoryUpdate.content("v2"));
        PreconditionFailedException e = rejects(PreconditionFailedException.class,
                () -> m.update(read.id(), MemoryUpdate.path("/b.md").ifContentSha256(read.contentSha256())));
        assertThat(e.currentVersionId()).isEqualTo(current.headVersionId());
    }

    @Test
    void deleteWithAStaleShaFailsWithTheCurrentState() {
        Memories m = freshStore();
        Memory read = m.create("/a.md", "v1");
        Memory current = m.update(read.id(), MemoryUpdate.content("v2"));
        PreconditionFailedException e = rejects(PreconditionFailedException.class,
                () -> m.delete(read.id(), read.contentSha256()));
        assertThat(e.currentSha256()).isEqualTo(current.contentSha256());
        assertThat(e.currentVersionId()).isEqualTo(current.headVersionId());
        m.delete(read.id(), current.contentSha256());
        assertThat(m.findByPath("/a.md")).isEmpty();
    }

    @Test
    void matchingPreconditionApplies() {
        Memories m = freshStore();
        Memory read = m.create("/a.md", "v1");
        Memory updated = m.update(read.id(), MemoryUpdate.content("v2").ifContentSha256(read.contentSha256()));
        assertThat(updated.text()).isEqualTo("v2");
        Memory renamed = m.update(read.id(), MemoryUpdate.path("/b.md").ifContentSha256(updated.contentSha256()));
        assertThat(renamed.path()).isEqualTo("/b.md");
    }

    @Test
    void retriedConditionalWriteIsHarmless() {
        Memories m = freshStore();
        Memory read = m.create("/a.md", "v1");
        MemoryUpdate write = MemoryUpdate.content("v2").ifContentSha256(read.contentSha256());
        Memory first = m.update(read.id(), write);
        Memory retried = changesNothing(() -> m.update(read.id(), write));
        assertThat(retried).isEqualTo(first);
        assertThat(history(m, read.id())).hasSize(2);
    }

    @Test
    void conditionalWriteNeverLosesAnotherWritersUpdate() {
        Memories m = freshStore();
        Memory base = m.create("/counter.md", "0");
        Memory aliceRead = m.get(base.id());
        Memory bobRead = m.get(base.id());
        m.update(base.id(), MemoryUpdate.content("alice").ifContentSha256(aliceRead.contentSha256()));
        rejects(PreconditionFailedException.class,
                () -> m.update(base.id(), MemoryUpdate.content("bob").ifContentSha256(bobRead.contentSha256())));
        Memory bobReread = m.get(base.id());
        assertThat(bobReread.text()).isEqualTo("alice");
        m.update(base.id(), MemoryUpdate.content("alice+bob").ifContentSha256(bobReread.contentSha256()));
        assertThat(history(m, base.id())).extracting(v -> v.content().orElseThrow())
                .containsExactly("alice+bob", "alice", "0");
    }

    @Test
    void unconditionalWritesAreLastWriterWinsAndEachIsAVersion() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "0");
        m.update(a.id(), MemoryUpdate.content("first"));
        m.update(a.id(), MemoryUpdate.content("second"));
        assertThat(m.get(a.id()).text()).isEqualTo("second");
        assertThat(history(m, a.id())).extracting(MemoryVersion::operation)
                .containsExactly(Operation.MODIFIED, Operation.MODIFIED, Operation.CREATED);
    }

    private static int count(Memory m) {
        return Integer.parseInt(m.text().split(" ")[0]);
    }

    @Test
    void conditionalIncrementsFromSeveralThreadsLoseNothing() throws Exception {
        Memories m = freshStore();
        Memory counter = m.create("/counter", "0");
        int threads = 4;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> conflicts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                conflicts.add(pool.submit(() -> {
                    start.await();
                    int failed = 0;
                    for (int i = 0; i < perThread; ) {
                        Memory read = m.get(counter.id());
                        // each writer asks for a state no other writer asks for: two writers asking for the same
                        // state would both succeed (the second as a no-op: a write whose state is already stored succeeds without a version), and count twice
                        String next = (count(read) + 1) + " by " + thread + "#" + i;
                        try {
                            m.update(counter.id(), MemoryUpdate.content(next).ifContentSha256(read.contentSha256()));
                            i++;
                        } catch (PreconditionFailedException e) {
                            failed++;
                        }
                    }
                    return failed;
                }));
            }
            start.countDown();
            for (Future<Integer> f : conflicts) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count(m.get(counter.id()))).isEqualTo(threads * perThread);
        assertThat(history(m, counter.id())).hasSize(threads * perThread + 1)
                .extracting(v -> Integer.parseInt(v.content().orElseThrow().split(" ")[0]))
                .as("each version is one increment of the previous")
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, threads * perThread)
                        .map(n -> threads * perThread - n).boxed().toList());
    }

    @Test
    void unconditionalWritesFromSeveralThreadsAreEachAVersion() throws Exception {
        Memories m = freshStore();
        Memory a = m.create("/shared.md", "start");
        int threads = 4;
        int perThread = 20;
        runConcurrently(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                m.update(a.id(), MemoryUpdate.content("t" + thread + "-" + i));
            }
        });
        List<MemoryVersion> h = history(m, a.id());
        assertThat(h).hasSize(threads * perThread + 1);
        assertThat(m.get(a.id()).text()).as("the last writer's content is the head")
                .isEqualTo(h.get(0).content().orElseThrow());
        assertThat(m.get(a.id()).headVersionId()).isEqualTo(h.get(0).id());
    }
}
