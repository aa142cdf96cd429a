package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.Session;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.VersionQuery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sessions: attachments fixed at creation (at most 8, instructions of at most 4,096
 * characters, no store twice, none archived or of another workspace), mount slugs, the snapshot of the store's name
 * and description, read-only mounts that refuse every mutation, writes attributed to the session, a session that sees
 * only its mounts, and the system-prompt section naming each mount.
 */
public abstract class SessionContract extends ContractSupport {

    private MemoryStore store(String name, String description) {
        return ws.stores().create(NewStore.named(name).description(description).build());
    }

    // ------------------------------------------------------------------------------------------------ creation

    @Test
    void sessionRecordsItsAttachments() {
        MemoryStore notes = store("Project notes", "What we learned");
        MemoryStore rules = store("Conventions", "House rules");
        Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id()).withInstructions("Write here."),
                AttachmentSpec.readOnly(rules.id())));
        assertThat(s.id().value()).startsWith("sesn_");
        assertThat(s.info().workspaceId()).isEqualTo(ws.id());
        assertThat(s.info().createdAt()).isEqualTo(T0);
        assertThat(s.attachments()).containsExactly(
                new Attachment(notes.id(), Access.READ_WRITE, "Write here.", "project-notes",
                        "/mnt/memory/project-notes/", "Project notes", "What we learned"),
                new Attachment(rules.id(), Access.READ_ONLY, "", "conventions", "/mnt/memory/conventions/",
                        "Conventions", "House rules"));
        Session reopened = ws.sessions().get(s.id());
        assertThat(reopened.info()).isEqualTo(s.info());
        assertThat(reopened.mount("project-notes").access()).isEqualTo(Access.READ_WRITE);
        assertThat(reopened.mount("conventions").access()).isEqualTo(Access.READ_ONLY);
    }

    @Test
    void atMostEightAttachments() {
        List<AttachmentSpec> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(AttachmentSpec.readWrite(newStore("store " + i).id()));
        }
        assertThat(ws.sessions().create(eight).attachments()).hasSize(8);
        List<AttachmentSpec> nine = new ArrayList<>(eight);
        nine.add(AttachmentSpec.readWrite(newStore("store 8").id()));
        LimitExceededException e = rejects(LimitExceededException.class, () -> ws.sessions().create(nine));
        assertThat(e.limit()).isEqualTo("attachments_per_session");
        assertThat(e.value()).isEqualTo(9);
        assertThat(e.maximum()).isEqualTo(8);
    }

    @Test
    void instructionsOfAtMost4096Characters() {
        MemoryStore s = newStore("s");
        String atLimit = "i".repeat(4095) + "\uD83D\uDE00";
        assertThat(ws.sessions().create(List.of(AttachmentSpec.readWrite(s.id()).withInstructions(atLimit)))
                .attachments().get(0).instructions()).isEqualTo(atLimit);
        LimitExceededException e = rejects(LimitExceededException.class, () -> ws.sessions().create(
                List.of(AttachmentSpec.readWrite(s.id()).withInstructions("i".repeat(4097)))));
        assertThat(e.limit()).isEqualTo("attachment_instructions_chars");
        assertThat(e.value()).isEqualTo(4097);
        assertThat(e.maximum()).isEqualTo(4096);
    }

    @Test
    void theSameStoreCannotBeAttachedTwice() {
        MemoryStore s = newStore("s");
        InvalidArgumentException e = rejects(InvalidArgumentException.class, () -> ws.sessions().create(
                List.of(AttachmentSpec.readWrite(s.id()), AttachmentSpec.readOnly(s.id()))));
        assertThat(e.rule()).isEqualTo("session.duplicate_store");
    }

    @Test
    void archivedStoreCannotBeAttached() {
        MemoryStore live = newStore("live");
        MemoryStore archived = ws.stores().archive(newStore("old").id());
        ArchivedException e = rejects(ArchivedException.class, () -> ws.sessions().create(
                List.of(AttachmentSpec.readWrite(live.id()), AttachmentSpec.readOnly(archived.id()))));
        assertThat(e.storeId()).isEqualTo(archived.id());
    }

    @Test
    void storeOfAnotherWorkspaceCannotBeAttached() {
        MemoryStore foreign = otherWs.stores().create(NewStore.named("theirs").build());
        rejects(NotFoundException.class, () -> ws.sessions().create(List.of(AttachmentSpec.readOnly(foreign.id()))));
    }

    @Test
    void sessionOfAnotherWorkspaceIsNotFound() {
        Session theirs = otherWs.sessions().create(List.of(
                AttachmentSpec.readWrite(otherWs.stores().create(NewStore.named("theirs").build()).id())));
        rejects(NotFoundException.class, () -> ws.sessions().get(theirs.id()));
        rejects(NotFoundException.class, () -> ws.sessions().get(SessionId.of("sesn_nope")));
        assertThat(otherWs.sessions().get(theirs.id()).info()).isEqualTo(theirs.info());
    }

    // ------------------------------------------------------------------------------------------------ slugs

    @Test
    void slugIsTheLowercasedNameWithDashes() {
        Session s = ws.sessions().create(List.of(
                AttachmentSpec.readWrite(newStore("Demo Memory").id()),
                AttachmentSpec.readWrite(newStore("  Team's  Notes (2025)!! ").id()),
                AttachmentSpec.readWrite(newStore("Ünïcode_and-dashes").id())));
        assertThat(s.attachments()).extracting(Attachment::slug)
                .containsExactly("demo-memory", "team-s-notes-2025", "n-code-and-dashes");
        assertThat(s.attachments()).extracting(Attachment::mountPath).containsExactly("/mnt/memory/demo-memory/",
                "/mnt/memory/team-s-notes-2025/", "/mnt/memory/n-code-and-dashes/");
    }

    @Test
    void collidingSlugsGetNumberSuffixes() {
        MemoryStore a = newStore("Demo Memory");
        MemoryStore b = newStore("demo memory");
        MemoryStore c = newStore("DEMO--MEMORY!");
        Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(a.id()), AttachmentSpec.readOnly(b.id()),
                AttachmentSpec.readWrite(c.id())));
        assertThat(s.attachments()).extracting(Attachment::slug)
                .containsExactly("demo-memory", "demo-memory-2", "demo-memory-3");
        assertThat(s.mount("demo-memory").storeId()).isEqualTo(a.id());
        assertThat(s.mount("demo-memory-2").storeId()).isEqualTo(b.id());
        assertThat(s.mount("demo-memory-3").storeId()).isEqualTo(c.id());
        rejects(NotFoundException.class, () -> s.mount("demo-memory-4"));
    }

    @Test
    void attachmentKeepsASnapshotOfNameAndDescription() {
        MemoryStore notes = store("Demo Memory", "before the rename");
        Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id())));
        ws.stores().update(notes.id(), StoreUpdate.builder().name("Renamed Store").description("after").build());

        for (Session view : List.of(s, ws.sessions().get(s.id()))) {
            Attachment a = view.attachments().get(0);
            assertThat(a.storeName()).isEqualTo("Demo Memory");
            assertThat(a.storeDescription()).isEqualTo("before the rename");
            assertThat(a.slug()).isEqualTo("demo-memory");
            assertThat(view.mount("demo-memory").create("/still.md", "mounted").path()).isEqualTo("/still.md");
            assertThat(view.systemPrompt()).contains("Demo Memory").contains("before the rename")
                    .doesNotContain("Renamed Store");
            view.mount("demo-memory").delete(view.mount("demo-memory").getByPath("/still.md").id());
        }
        Session later = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id())));
        assertThat(later.attachments().get(0).slug()).isEqualTo("renamed-store");
        assertThat(later.attachments().get(0).storeName()).isEqualTo("Renamed Store");
    }

    // ------------------------------------------------------------------------------------------------ access

    @Test
    void readOnlyMountRefusesEveryMutation() {
        Memories operator = freshStore();
        Memory a = operator.create("/dir/a.md", "a");
        Memory b = operator.create("/b.md", "b");
        Session s = ws.sessions().create(List.of(AttachmentSpec.readOnly(operator.storeId())));
        Memories ro = s.mount(operator.storeId());
        assertThat(ro.access()).isEqualTo(Access.READ_ONLY);

        rejects(ReadOnlyException.class, () -> ro.create("/c.md", "c"));
        rejects(ReadOnlyException.class, () -> ro.update(a.id(), MemoryUpdate.content("changed")));
        rejects(ReadOnlyException.class, () -> ro.update(a.id(), MemoryUpdate.path("/renamed.md")));
        rejects(ReadOnlyException.class,
                () -> ro.update(a.id(), MemoryUpdate.content("a").ifContentSha256(a.contentSha256())));
        rejects(ReadOnlyException.class, () -> ro.delete(b.id()));
        rejects(ReadOnlyException.class, () -> ro.delete(b.id(), b.contentSha256()));
        rejects(ReadOnlyException.class, () -> ro.move("/dir/", "/moved/"));
        rejects(ReadOnlyException.class, () -> ro.apply(Batch.builder().create("/d.md", "d").build()));
        // refused before anything else is looked at
        rejects(ReadOnlyException.class, () -> ro.create("not a path", "\uD800"));

        assertThat(ro.get(a.id()).text()).isEqualTo("a");
        assertThat(allMemories(ro)).hasSize(2);
        assertThat(allVersions(ro, VersionQuery.builder())).hasSize(2);
    }

    @Test
    void writesThroughASessionAreAttributedToIt() {
        Memories operator = freshStore();
        Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(operator.storeId())));
        Memories rw = s.mount(operator.storeId());
        assertThat(rw.actor()).isEqualTo(Actor.session(s.id()));
        Memory a = rw.create("/a.md", "1");
        rw.update(a.id(), MemoryUpdate.content("2"));
        rw.apply(Batch.builder().create("/b.md", "b").build());
        rw.create("/dir/c.md", "c");
        rw.move("/dir/", "/moved/");
        rw.delete(a.id());
        List<MemoryVersion> all = allVersions(operator, VersionQuery.builder());
        assertThat(all).hasSize(6)
                .allSatisfy(v -> assertThat(v.createdBy()).isEqualTo(Actor.session(s.id())));
        assertThat(allVersions(operator, VersionQuery.builder().session(s.id()))).isEqualTo(all);
    }

    @Test
    void sessionSeesOnlyItsMounts() {
        Memories mine = freshStore();
        Memories notAttached = freshStore();
        Memory outside = notAttached.create("/outside.md", "not yours");
        Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(mine.storeId())));
        Memories mount = s.mount(mine.storeId());

        rejects(NotFoundException.class, () -> s.mount(notAttached.storeId()));
        rejects(NotFoundException.class, () -> s.mount("project-notes-2"));
        rejects(NotFoundException.class, () -> mount.get(outside.id()));
        rejects(NotFoundException.class, () -> mount.version(outside.headVersionId()));
        rejects(NotFoundException.class, () -> mount.update(outside.id(), MemoryUpdate.content("reach out")));
        rejects(NotFoundException.class, () -> mount.delete(outside.id()));
        assertThat(mount.findByPath("/outside.md")).isEmpty();
        assertThat(allMemories(mount)).isEmpty();
        assertThat(allVersions(mount, VersionQuery.ofMemory(outside.id()))).isEmpty();
    }

    @Test
    void archivingAStoreMakesExistingSessionsReadOnly() {
        Memories operator = freshStore();
        Memory a = operator.create("/a.md", "a");
        Session s = ws.sessions().create(List.of(AttachmentSpec.readWrite(operator.storeId())));
        Memories rw = s.mount(operator.storeId());
        rw.create("/before.md", "written before the archive");
        ws.stores().archive(operator.storeId());

        ArchivedException e = rejects(ArchivedException.class, () -> rw.create("/after.md", "x"));
        assertThat(e).isInstanceOf(ReadOnlyException.class);
        assertThat(e.storeId()).isEqualTo(operator.storeId());
        rejects(ArchivedException.class, () -> rw.update(a.id(), MemoryUpdate.content("x")));
        rejects(ArchivedException.class, () -> rw.delete(a.id()));
        rejects(ArchivedException.class, () -> ws.sessions().get(s.id()).mount(operator.storeId())
                .create("/after.md", "x"));
        assertThat(rw.get(a.id()).text()).isEqualTo("a");
        assertThat(s.systemPrompt()).contains("read-only");
    }

    // ------------------------------------------------------------------------------------------------ system prompt

    /** The part of the prompt about one mount: from its path to the next mount's path, or the end. */
    private static String section(String prompt, String mountPath, List<String> allMounts) {
        int start = prompt.indexOf(mountPath);
        assertThat(start).as("the prompt names %s", mountPath).isNotNegative();
        int end = prompt.length();
        for (String other : allMounts) {
            int at = prompt.indexOf(other, start + mountPath.length());
            if (!other.equals(mountPath) && at > start) {
                end = Math.min(end, at);
            }
        }
        return prompt.substring(start, end);
    }

    @Test
    void systemPromptNamesEachMount() {
        MemoryStore notes = store("Project notes", "What we learned about the build");
        MemoryStore rules = store("House Rules", "Conventions everyone follows");
        MemoryStore old = store("Old Decisions", "Kept for reference");
        Session s = ws.sessions().create(List.of(
                AttachmentSpec.readWrite(notes.id()).withInstructions("Record every build fix here."),
                AttachmentSpec.readOnly(rules.id()).withInstructions("Follow these; never edit them."),
                AttachmentSpec.readWrite(old.id())));
        ws.stores().archive(old.id());
        String prompt = s.systemPrompt();
        List<String> mounts = List.of("/mnt/memory/project-notes/", "/mnt/memory/house-rules/",
                "/mnt/memory/old-decisions/");

        String n = section(prompt, mounts.get(0), mounts);
        assertThat(n).contains("Project notes").contains("What we learned about the build")
                .contains("Record every build fix here.").containsAnyOf("read-write", "read_write")
                .doesNotContain("read-only").doesNotContain("read_only");
        String r = section(prompt, mounts.get(1), mounts);
        assertThat(r).contains("House Rules").contains("Conventions everyone follows")
                .contains("Follow these; never edit them.").containsAnyOf("read-only", "read_only");
        String o = section(prompt, mounts.get(2), mounts);
        assertThat(o).contains("Old Decisions").contains("Kept for reference").containsAnyOf("read-only", "read_only");
    }
}
