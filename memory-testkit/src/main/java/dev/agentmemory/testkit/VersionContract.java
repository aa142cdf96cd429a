package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.Session;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.RedactionReport;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spi.VersionFilter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Versions: exactly one per create, modify and delete, written with the change; a {@code deleted}
 * version has no content, SHA-256 or size; listing by memory, session, actor, operation and created-at range, newest
 * first, paged; versions outlive their memory; rollback is an ordinary write. Redaction clears content, SHA-256, size
 * and path, keeps operation, actor and timestamps, leaves the version readable, is refused for the head of a live
 * memory, and removes the bytes from the backend.
 */
public abstract class VersionContract extends ContractSupport {

    private static int count(Memories m) {
        return allVersions(m, VersionQuery.builder()).size();
    }

    @Test
    void everyChangeWritesExactlyOneVersion() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "1");
        assertThat(count(m)).isEqualTo(1);
        m.update(a.id(), MemoryUpdate.content("2"));
        assertThat(count(m)).isEqualTo(2);
        m.update(a.id(), MemoryUpdate.path("/b.md"));
        assertThat(count(m)).isEqualTo(3);
        m.update(a.id(), MemoryUpdate.content("3").withPath("/c.md"));
        assertThat(count(m)).isEqualTo(4);
        m.delete(a.id());
        assertThat(count(m)).isEqualTo(5);

        List<MemoryVersion> h = history(m, a.id());
        assertThat(h).extracting(MemoryVersion::operation).containsExactly(Operation.DELETED, Operation.MODIFIED,
                Operation.MODIFIED, Operation.MODIFIED, Operation.CREATED);
        assertThat(h).extracting(MemoryVersion::path).containsExactly(Optional.of("/c.md"), Optional.of("/c.md"),
                Optional.of("/b.md"), Optional.of("/a.md"), Optional.of("/a.md"));
        assertThat(h).extracting(MemoryVersion::content).containsExactly(Optional.empty(), Optional.of("3"),
                Optional.of("2"), Optional.of("2"), Optional.of("1"));
        assertThat(h).allSatisfy(v -> {
            assertThat(v.memoryId()).isEqualTo(a.id());
            assertThat(v.storeId()).isEqualTo(m.storeId());
            assertThat(v.id().value()).startsWith("memver_");
            assertThat(v.isRedacted()).isFalse();
        });
    }

    @Test
    void deletedVersionHasNoContentShaOrSize() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "content");
        m.delete(a.id());
        MemoryVersion deleted = history(m, a.id()).get(0);
        for (MemoryVersion v : List.of(deleted, m.version(deleted.id()),
                m.versions(VersionQuery.builder().operation(Operation.DELETED).includeContent(true).build())
                        .items().get(0))) {
            assertThat(v.operation()).isEqualTo(Operation.DELETED);
            assertThat(v.content()).isEmpty();
            assertThat(v.contentSha256()).isEmpty();
            assertThat(v.contentSizeBytes()).isEmpty();
        }
    }

    @Test
    void versionsOutliveTheirMemory() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "kept in history");
        m.delete(a.id());
        List<MemoryVersion> h = history(m, a.id());
        assertThat(m.version(h.get(1).id()).content()).contains("kept in history");
    }

    @Test
    void versionIsReadWithItsContentAndListedWithoutUnlessAsked() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "body");
        MemoryVersion v = m.version(a.headVersionId());
        assertThat(v.content()).contains("body");
        assertThat(v.contentSha256()).contains(sha256("body"));
        assertThat(v.contentSizeBytes()).contains(4L);
        MemoryVersion listed = m.versions(VersionQuery.all()).items().get(0);
        assertThat(listed.content()).isEmpty();
        assertThat(listed.contentSha256()).contains(sha256("body"));
        assertThat(listed).isEqualTo(v.withoutContent());
        assertThat(m.versions(VersionQuery.builder().includeContent(true).build()).items()).containsExactly(v);
    }

    @Test
    void versionOfAnotherStoreOrUnknownIsNotFound() {
        Memories m = freshStore();
        Memories other = freshStore();
        Memory elsewhere = other.create("/a.md", "x");
        rejects(NotFoundException.class, () -> m.version(elsewhere.headVersionId()));
        rejects(NotFoundException.class, () -> m.version(VersionId.of("memver_nope")));
        assertThat(allVersions(m, VersionQuery.ofMemory(elsewhere.id()))).isEmpty();
    }

    /** Writes 3 memories x 4 changes by two actors, one minute apart; returns every version, oldest first. */
    private List<MemoryVersion> history3x4(Memories byKey, Memories byUser) {
        List<MemoryVersion> made = new ArrayList<>();
        List<Memory> mems = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Memory x = (i % 2 == 0 ? byKey : byUser).create("/m" + i + ".md", "v0");
            mems.add(x);
            made.add(byKey.version(x.headVersionId()));
            clock.advance(Duration.ofMinutes(1));
        }
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < 3; i++) {
                Memories who = (i + round) % 2 == 0 ? byKey : byUser;
                Memory x = who.update(mems.get(i).id(), MemoryUpdate.content("v" + round));
                made.add(byKey.version(x.headVersionId()));
                clock.advance(Duration.ofMinutes(1));
            }
        }
        return made;
    }

    @Test
    void versionsAreListedNewestFirstAndPaged() {
        Memories m = freshStore();
        Memories user = ws.memories(m.storeId(), Actor.user("ada"));
        List<MemoryVersion> oldestFirst = history3x4(m, user);
        List<VersionId> newestFirst = new ArrayList<>(oldestFirst.stream().map(MemoryVersion::id).toList());
        java.util.Collections.reverse(newestFirst);
        for (int size : new int[] {1, 4, 5, 11, 12, 13, 100}) {
            VersionQuery q = VersionQuery.builder().limit(size).build();
            List<MemoryVersion> all = drain(m.versions(q), c -> m.versions(q.page(c)), size);
            assertThat(all).extracting(MemoryVersion::id).as("page size %d", size)
                    .containsExactlyElementsOf(newestFirst);
        }
        List<MemoryVersion> all = allVersions(m, VersionQuery.builder());
        assertThat(all).extracting(MemoryVersion::createdAt).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(all).extracting(MemoryVersion::id).isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void versionsAreFilteredByMemoryActorOperationAndTime() {
        Memories m = freshStore();
        Actor ada = Actor.user("ada");
        Memories user = ws.memories(m.storeId(), ada);
        List<MemoryVersion> made = history3x4(m, user);
        Memory m1 = m.getByPath("/m1.md");

        assertThat(allVersions(m, VersionQuery.ofMemory(m1.id()))).extracting(MemoryVersion::id)
                .containsExactlyElementsOf(reversedIds(made, v -> v.memoryId().equals(m1.id())));
        assertThat(allVersions(m, VersionQuery.builder().actor(ada))).extracting(MemoryVersion::id)
                .containsExactlyElementsOf(reversedIds(made, v -> v.createdBy().equals(ada)))
                .isNotEmpty();
        assertThat(allVersions(m, VersionQuery.builder().actor(OPERATOR))).extracting(MemoryVersion::id)
                .containsExactlyElementsOf(reversedIds(made, v -> v.createdBy().equals(OPERATOR)))
                .isNotEmpty();
        assertThat(allVersions(m, VersionQuery.builder().operation(Operation.CREATED)))
                .extracting(MemoryVersion::id)
                .containsExactlyElementsOf(reversedIds(made, v -> v.operation() == Operation.CREATED))
                .hasSize(3);
        Instant from = T0.plus(Duration.ofMinutes(4));
        Instant to = T0.plus(Duration.ofMinutes(7));
        assertThat(allVersions(m, VersionQuery.builder().createdAtOrAfter(from).createdAtOrBefore(to)))
                .extracting(MemoryVersion::id)
                .containsExactlyElementsOf(reversedIds(made,
                        v -> !v.createdAt().isBefore(from) && !v.createdAt().isAfter(to)))
                .hasSize(4);
        assertThat(allVersions(m, VersionQuery.ofMemory(m1.id()).actor(ada).operation(Operation.MODIFIED)))
                .extracting(MemoryVersion::id)
                .containsExactlyElementsOf(reversedIds(made, v -> v.memoryId().equals(m1.id())
                        && v.createdBy().equals(ada) && v.operation() == Operation.MODIFIED));
        VersionQuery paged = VersionQuery.builder().actor(ada).limit(2).build();
        assertThat(drain(m.versions(paged), c -> m.versions(paged.page(c)), 2)).extracting(MemoryVersion::id)
                .containsExactlyElementsOf(reversedIds(made, v -> v.createdBy().equals(ada)));
    }

    private static List<VersionId> reversedIds(List<MemoryVersion> oldestFirst,
            java.util.function.Predicate<MemoryVersion> keep) {
        List<VersionId> out = new ArrayList<>(oldestFirst.stream().filter(keep).map(MemoryVersion::id).toList());
        java.util.Collections.reverse(out);
        return out;
    }

    @Test
    void versionsAreFilteredBySession() {
        Memories m = freshStore();
        Session s1 = ws.sessions().create(List.of(AttachmentSpec.readWrite(m.storeId())));
        Session s2 = ws.sessions().create(List.of(AttachmentSpec.readWrite(m.storeId())));
        Memory a = s1.mount(m.storeId()).create("/a.md", "by s1");
        s2.mount(m.storeId()).update(a.id(), MemoryUpdate.content("by s2"));
        s1.mount(m.storeId()).create("/b.md", "by s1 again");
        m.create("/c.md", "by the operator");
        assertThat(allVersions(m, VersionQuery.builder().session(s1.id())))
                .extracting(v -> v.content().orElseThrow()).containsExactly("by s1 again", "by s1");
        assertThat(allVersions(m, VersionQuery.builder().session(s2.id())))
                .extracting(v -> v.content().orElseThrow()).containsExactly("by s2");
    }

    @Test
    void versionPageSizeMustBe1To100AndCursorsStayWithTheirQuery() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "1");
        m.update(a.id(), MemoryUpdate.content("2"));
        for (int bad : new int[] {0, 101}) {
            assertThat(rejects(InvalidArgumentException.class,
                    () -> m.versions(VersionQuery.builder().limit(bad).build())).rule()).isEqualTo("page.limit");
        }
        String cursor = m.versions(VersionQuery.builder().limit(1).build()).nextCursor().orElseThrow();
        assertThat(rejects(InvalidArgumentException.class, () -> m.versions(
                VersionQuery.builder().operation(Operation.CREATED).limit(1).cursor(cursor).build())).rule())
                .isEqualTo("cursor.mismatch");
        assertThat(rejects(InvalidArgumentException.class,
                () -> m.versions(VersionQuery.builder().cursor("xyz").build())).rule()).isEqualTo("cursor.malformed");
        Page<MemoryVersion> second = m.versions(VersionQuery.builder().limit(1).cursor(cursor).build());
        assertThat(second.items()).extracting(MemoryVersion::operation).containsExactly(Operation.CREATED);
        assertThat(second.nextCursor()).isEmpty();
    }

    @Test
    void rollbackIsAnOrdinaryWriteOfOldContent() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "good");
        m.update(a.id(), MemoryUpdate.content("bad"));
        MemoryVersion good = history(m, a.id()).get(1);
        Memory rolledBack = m.update(a.id(), MemoryUpdate.content(good.content().orElseThrow()));
        assertThat(rolledBack.text()).isEqualTo("good");
        assertThat(rolledBack.contentSha256()).isEqualTo(good.contentSha256().orElseThrow());
        List<MemoryVersion> h = history(m, a.id());
        assertThat(h).hasSize(3);
        assertThat(h.get(0).operation()).isEqualTo(Operation.MODIFIED);
        assertThat(h.get(0).id()).isNotEqualTo(good.id());
    }

    // ------------------------------------------------------------------------------------------------ redaction

    @Test
    void redactionClearsContentShaSizeAndPathAndKeepsTheRest() {
        Memories m = freshStore();
        Memory a = m.create("/secrets/key.md", "api key 12345");
        m.update(a.id(), MemoryUpdate.content("no secret here"));
        MemoryVersion old = history(m, a.id()).get(1);
        Actor admin = Actor.user("admin");
        Instant at = clock.advance(Duration.ofHours(2));

        MemoryVersion redacted = ws.stores().redact(m.storeId(), old.id(), admin).version();
        assertThat(redacted.id()).isEqualTo(old.id());
        assertThat(redacted.content()).isEmpty();
        assertThat(redacted.contentSha256()).isEmpty();
        assertThat(redacted.contentSizeBytes()).isEmpty();
        assertThat(redacted.path()).isEmpty();
        assertThat(redacted.operation()).isEqualTo(Operation.CREATED);
        assertThat(redacted.createdBy()).isEqualTo(OPERATOR);
        assertThat(redacted.createdAt()).isEqualTo(old.createdAt());
        assertThat(redacted.memoryId()).isEqualTo(a.id());
        assertThat(redacted.redactedAt()).contains(at);
        assertThat(redacted.redactedBy()).contains(admin);
        assertThat(redacted.isRedacted()).isTrue();

        assertThat(m.version(old.id())).isEqualTo(redacted);
        assertThat(history(m, a.id()).get(1)).isEqualTo(redacted);
        assertThat(m.get(a.id()).text()).isEqualTo("no secret here");
    }

    @Test
    void redactionReportsThePhysicalErasureAndItFinishes() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "secret");
        m.update(a.id(), MemoryUpdate.content("clean"));
        VersionId old = history(m, a.id()).get(1).id();
        RedactionReport report = ws.stores().redact(m.storeId(), old, OPERATOR);
        assertThat(report.version().isRedacted()).isTrue();
        assertThat(report.erasure().detail()).isNotBlank();
        // Pending is a passing state (a backend may need a moment), but with no reader holding old data it ends.
        ErasureStatus settled = ws.stores().awaitErasure(Duration.ofSeconds(60));
        assertThat(settled.state()).as(settled.detail()).isNotEqualTo(ErasureStatus.State.PENDING);
        if (report.erasure().isDone()) {
            assertThat(report.erasure().pendingSince()).isEmpty();
        }
        assertThat(ws.stores().erasureStatus().state()).isEqualTo(settled.state());
        rejects(InvalidArgumentException.class, () -> ws.stores().awaitErasure(Duration.ofSeconds(-1)));
    }

    @Test
    void headOfALiveMemoryCannotBeRedacted() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "current");
        InvalidArgumentException e = rejects(InvalidArgumentException.class,
                () -> ws.stores().redact(m.storeId(), a.headVersionId(), OPERATOR));
        assertThat(e.rule()).isEqualTo("redact.head");
        Memory renamed = m.update(a.id(), MemoryUpdate.path("/b.md"));
        assertThat(rejects(InvalidArgumentException.class,
                () -> ws.stores().redact(m.storeId(), renamed.headVersionId(), OPERATOR)).rule())
                .isEqualTo("redact.head");
    }

    @Test
    void everyVersionOfADeletedMemoryCanBeRedacted() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "one");
        m.update(a.id(), MemoryUpdate.content("two"));
        m.delete(a.id());
        for (MemoryVersion v : history(m, a.id())) {
            assertThat(ws.stores().redact(m.storeId(), v.id(), OPERATOR).version().isRedacted()).isTrue();
        }
        assertThat(history(m, a.id())).hasSize(3).allSatisfy(v -> {
            assertThat(v.isRedacted()).isTrue();
            assertThat(v.content()).isEmpty();
            assertThat(v.path()).isEmpty();
        });
        assertThat(history(m, a.id())).extracting(MemoryVersion::operation)
                .containsExactly(Operation.DELETED, Operation.MODIFIED, Operation.CREATED);
    }

    @Test
    void redactingARedactedVersionReturnsItUnchanged() {
        Memories m = freshStore();
        Memory a = m.create("/a.md", "one");
        m.update(a.id(), MemoryUpdate.content("two"));
        VersionId old = history(m, a.id()).get(1).id();
        MemoryVersion first = ws.stores().redact(m.storeId(), old, Actor.user("first")).version();
        clock.advance(Duration.ofDays(1));
        MemoryVersion again = changesNothing(() -> ws.stores().redact(m.storeId(), old, Actor.user("second")))
                .version();
        assertThat(again).isEqualTo(first);
        assertThat(again.redactedBy()).contains(Actor.user("first"));
    }

    @Test
    void redactionOfAnUnknownOrForeignVersionIsNotFound() {
        Memories m = freshStore();
        Memories other = freshStore();
        Memory x = other.create("/x.md", "1");
        other.update(x.id(), MemoryUpdate.content("2"));
        VersionId foreign = history(other, x.id()).get(1).id();
        rejects(NotFoundException.class, () -> ws.stores().redact(m.storeId(), foreign, OPERATOR));
        rejects(NotFoundException.class, () -> ws.stores().redact(m.storeId(), VersionId.of("memver_nope"), OPERATOR));
    }

    @Test
    void redactedBytesAreGoneFromTheBackend() {
        Memories m = freshStore();
        String secret = "password=hunter2-7c1f";
        Memory a = m.create("/creds.md", secret);
        m.update(a.id(), MemoryUpdate.content("rotated"));
        VersionId old = history(m, a.id()).get(1).id();
        ws.stores().redact(m.storeId(), old, OPERATOR);

        MemoryVersion stored = backend.findVersion(m.storeId(), old).orElseThrow();
        assertThat(stored.content()).isEmpty();
        assertThat(stored.contentSha256()).isEmpty();
        assertThat(stored.path()).isEmpty();
        assertThat(backend.listVersions(m.storeId(), VersionFilter.ALL, Optional.empty(), 100, true))
                .noneSatisfy(v -> assertThat(v.content()).contains(secret));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ws.stores().exportStore(m.storeId(), out, ProgressListener.NONE);
        String export = out.toString(StandardCharsets.UTF_8);
        assertThat(export).doesNotContain(secret).doesNotContain(sha256(secret)).contains("rotated");
    }

    @Test
    void revisionGrowsWithEveryCommittedChangeAndOnlyThen() {
        Memories m = freshStore();
        long r0 = m.revision();
        Memory a = m.create("/d/a.md", "1");
        long r1 = m.revision();
        assertThat(r1).isGreaterThan(r0);
        m.update(a.id(), MemoryUpdate.content("1"));
        assertThat(m.revision()).as("a no-op update commits nothing").isEqualTo(r1);
        rejects(dev.agentmemory.model.PreconditionFailedException.class,
                () -> m.update(a.id(), MemoryUpdate.content("2").ifContentSha256(sha256("other"))));
        assertThat(m.revision()).as("a refused write commits nothing").isEqualTo(r1);
        m.update(a.id(), MemoryUpdate.content("2"));
        long r2 = m.revision();
        assertThat(r2).isGreaterThan(r1);
        m.move("/d/", "/moved/");
        long r3 = m.revision();
        assertThat(r3).isGreaterThan(r2);
        MemoryVersion first = history(m, a.id()).get(history(m, a.id()).size() - 1);
        ws.stores().redact(m.storeId(), first.id(), OPERATOR);
        long r4 = m.revision();
        assertThat(r4).isGreaterThan(r3);
        m.delete(a.id());
        assertThat(m.revision()).isGreaterThan(r4);
        Memories other = freshStore();
        long otherBefore = other.revision();
        m.create("/b.md", "b");
        assertThat(other.revision()).as("stores have their own revisions").isEqualTo(otherBefore);
    }
}
