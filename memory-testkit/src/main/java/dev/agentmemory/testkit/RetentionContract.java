package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Retention: an explicit purge removes versions older than the window (30 days by default),
 * except each live memory's head and its most recent versions (the last 10 by default), which are kept regardless of
 * age. Versions of deleted memories have no such protection. Age is measured by the injected clock.
 */
public abstract class RetentionContract extends ContractSupport {

    /** Writes {@code changes} versions of a new memory, one minute apart, and returns their ids oldest first. */
    private List<VersionId> writeVersions(Memories m, String path, int changes) {
        List<VersionId> ids = new ArrayList<>();
        Memory x = m.create(path, "v0");
        ids.add(x.headVersionId());
        for (int i = 1; i < changes; i++) {
            clock.advance(Duration.ofMinutes(1));
            ids.add(m.update(x.id(), MemoryUpdate.content("v" + i)).headVersionId());
        }
        clock.advance(Duration.ofMinutes(1));
        return ids;
    }

    private static List<VersionId> ids(List<MemoryVersion> versions) {
        return versions.stream().map(MemoryVersion::id).toList();
    }

    private static List<VersionId> newestFirst(List<VersionId> oldestFirst) {
        List<VersionId> out = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * Retention across every store of a workspace: each live store is purged as alone, archived stores and other
     * workspaces are left alone, and progress counts the stores.
     */
    @Test
    void purgeAllAppliesRetentionToEveryStoreButArchivedOnes() {
        Memories one = freshStore();
        Memories two = freshStore();
        Memories frozen = freshStore();
        Memories elsewhere = otherWs.memories(otherWs.stores().create(NewStore.named("other").build()).id(), OPERATOR);
        writeVersions(one, "/a.md", 5);
        writeVersions(two, "/b.md", 4);
        writeVersions(frozen, "/c.md", 6);
        writeVersions(elsewhere, "/d.md", 3);
        ws.stores().archive(frozen.storeId());
        clock.advance(Duration.ofDays(2));
        RetentionPolicy policy = new RetentionPolicy(Duration.ofDays(1), 1);

        List<String> progress = new ArrayList<>();
        var summary = ws.stores().purgeAll(policy, (phase, done, total) -> {
            if (phase.equals("stores")) {
                progress.add(done + "/" + total);
            }
        });

        assertThat(summary.storesPurged()).isEqualTo(2);
        assertThat(summary.storesSkipped()).isEqualTo(1);
        assertThat(summary.versionsExamined()).isEqualTo(5 + 4);
        assertThat(summary.versionsRemoved()).isEqualTo(4 + 3);
        assertThat(progress).containsExactly("0/3", "1/3", "2/3", "3/3");
        assertThat(allVersions(one, VersionQuery.builder())).hasSize(1);
        assertThat(allVersions(two, VersionQuery.builder())).hasSize(1);
        assertThat(allVersions(frozen, VersionQuery.builder())).as("archived: all kept").hasSize(6);
        assertThat(allVersions(elsewhere, VersionQuery.builder())).as("another workspace").hasSize(3);
        // a second run has nothing left to remove
        assertThat(ws.stores().purgeAll(policy, ProgressListener.NONE).versionsRemoved()).isZero();
    }

    @Test
    void purgeWithoutAListenerIsTheSamePurge() {
        Memories m = freshStore();
        writeVersions(m, "/a.md", 3);
        clock.advance(Duration.ofDays(2));
        PurgeResult r = ws.stores().purge(m.storeId(), new RetentionPolicy(Duration.ofDays(1), 1));
        assertThat(r.versionsRemoved()).isEqualTo(2);
        assertThat(ws.stores().purge(m.storeId()).versionsRemoved()).isZero();
    }

    @Test
    void defaultPurgeKeepsTheWindowTheLastTenAndEveryHead() {
        Memories m = freshStore();
        List<VersionId> a = writeVersions(m, "/a.md", 15);
        List<VersionId> b = writeVersions(m, "/b.md", 1);
        List<VersionId> c = writeVersions(m, "/c.md", 2);
        MemoryId cId = m.getByPath("/c.md").id();
        m.delete(cId);
        List<VersionId> d = writeVersions(m, "/d.md", 1);
        MemoryId dId = m.getByPath("/d.md").id();

        clock.advance(Duration.ofDays(31));
        for (int i = 1; i <= 12; i++) {
            clock.advance(Duration.ofMinutes(1));
            d.add(m.update(dId, MemoryUpdate.content("young " + i)).headVersionId());
        }
        assertThat(allVersions(m, VersionQuery.builder())).as("nothing is removed before a purge").hasSize(32);

        PurgeResult result = ws.stores().purge(m.storeId(), ProgressListener.NONE);

        assertThat(result.versionsExamined()).isEqualTo(32);
        assertThat(result.versionsRemoved()).isEqualTo(5 + 3 + 1);
        MemoryId aId = m.getByPath("/a.md").id();
        assertThat(ids(history(m, aId))).as("the last ten of a live memory")
                .containsExactlyElementsOf(newestFirst(a.subList(5, 15)));
        assertThat(ids(history(m, m.getByPath("/b.md").id()))).as("an old head").containsExactlyElementsOf(b);
        assertThat(history(m, cId)).as("a deleted memory's old versions").isEmpty();
        assertThat(ids(history(m, dId))).as("young versions regardless of count")
                .containsExactlyElementsOf(newestFirst(d.subList(1, 13)));
        for (VersionId removed : a.subList(0, 5)) {
            rejects(NotFoundException.class, () -> m.version(removed));
        }
        assertThat(m.get(aId).text()).isEqualTo("v14");
        assertThat(m.version(a.get(5)).content()).contains("v5");
        for (VersionId removed : c) {
            rejects(NotFoundException.class, () -> m.version(removed));
        }
    }

    @Test
    void defaultWindowIsThirtyDaysExactly() {
        Memories m = freshStore();
        Memory gone = m.create("/gone.md", "x");
        m.delete(gone.id());
        clock.set(T0.plus(Duration.ofDays(30)));
        assertThat(ws.stores().purge(m.storeId(), ProgressListener.NONE).versionsRemoved())
                .as("exactly 30 days old is not older than the window").isZero();
        assertThat(history(m, gone.id())).hasSize(2);
        clock.advance(Duration.ofMillis(1));
        assertThat(ws.stores().purge(m.storeId(), ProgressListener.NONE).versionsRemoved()).isEqualTo(2);
        assertThat(history(m, gone.id())).isEmpty();
    }

    @Test
    void headIsKeptEvenWhenNoRecentVersionIs() {
        Memories m = freshStore();
        List<VersionId> v = writeVersions(m, "/a.md", 5);
        clock.advance(Duration.ofDays(2));
        PurgeResult r = ws.stores().purge(m.storeId(), new RetentionPolicy(Duration.ofDays(1), 0),
                ProgressListener.NONE);
        assertThat(r.versionsRemoved()).isEqualTo(4);
        assertThat(ids(allVersions(m, VersionQuery.builder()))).containsExactly(v.get(4));
        assertThat(m.getByPath("/a.md").headVersionId()).isEqualTo(v.get(4));
    }

    @Test
    void policyKeepCountIsHonoured() {
        Memories m = freshStore();
        List<VersionId> v = writeVersions(m, "/a.md", 6);
        clock.advance(Duration.ofDays(2));
        ws.stores().purge(m.storeId(), new RetentionPolicy(Duration.ofDays(1), 3), ProgressListener.NONE);
        assertThat(ids(allVersions(m, VersionQuery.builder()))).containsExactlyElementsOf(newestFirst(v.subList(3, 6)));
    }

    @Test
    void limitsSetTheDefaultPolicy() {
        AgentMemory custom = open(Limits.builder().retentionWindow(Duration.ofDays(7)).retentionKeepPerMemory(2)
                .build());
        Workspace w = workspaceOf(custom);
        Memories m = w.memories(w.stores().create(NewStore.named("custom").build()).id(), OPERATOR);
        List<VersionId> v = writeVersions(m, "/a.md", 5);
        clock.advance(Duration.ofDays(6));
        assertThat(w.stores().purge(m.storeId(), ProgressListener.NONE).versionsRemoved()).isZero();
        clock.advance(Duration.ofDays(2));
        AtomicLong reported = new AtomicLong(-1);
        PurgeResult r = w.stores().purge(m.storeId(), (phase, done, total) -> reported.set(done));
        assertThat(r.versionsRemoved()).isEqualTo(3);
        assertThat(reported.get()).as("the listener hears of every version examined").isEqualTo(5);
        assertThat(ids(allVersions(m, VersionQuery.builder()))).containsExactlyElementsOf(newestFirst(v.subList(3, 5)));
    }

    @Test
    void purgeOfAForeignStoreIsNotFound() {
        Memories theirs = otherWs.memories(otherWs.stores().create(NewStore.named("theirs").build()).id(), OPERATOR);
        theirs.create("/a.md", "x");
        clock.advance(Duration.ofDays(365));
        rejects(NotFoundException.class, () -> ws.stores().purge(theirs.storeId(), ProgressListener.NONE));
    }
}
