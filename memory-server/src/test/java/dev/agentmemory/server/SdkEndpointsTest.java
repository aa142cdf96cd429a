package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.core.JsonValue;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.ConflictException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.beta.memorystores.BetaManagedAgentsMemoryStore;
import com.anthropic.models.beta.memorystores.MemoryStoreCreateParams;
import com.anthropic.models.beta.memorystores.MemoryStoreListPage;
import com.anthropic.models.beta.memorystores.MemoryStoreListParams;
import com.anthropic.models.beta.memorystores.MemoryStoreUpdateParams;
import com.anthropic.models.beta.memorystores.memories.BetaManagedAgentsMemory;
import com.anthropic.models.beta.memorystores.memories.BetaManagedAgentsMemoryListItem;
import com.anthropic.models.beta.memorystores.memories.BetaManagedAgentsMemoryView;
import com.anthropic.models.beta.memorystores.memories.BetaManagedAgentsPrecondition;
import com.anthropic.models.beta.memorystores.memories.MemoryCreateParams;
import com.anthropic.models.beta.memorystores.memories.MemoryDeleteParams;
import com.anthropic.models.beta.memorystores.memories.MemoryListPage;
import com.anthropic.models.beta.memorystores.memories.MemoryListParams;
import com.anthropic.models.beta.memorystores.memories.MemoryRetrieveParams;
import com.anthropic.models.beta.memorystores.memories.MemoryUpdateParams;
import com.anthropic.models.beta.memorystores.memoryversions.BetaManagedAgentsMemoryVersion;
import com.anthropic.models.beta.memorystores.memoryversions.BetaManagedAgentsMemoryVersionOperation;
import com.anthropic.models.beta.memorystores.memoryversions.MemoryVersionListParams;
import com.anthropic.models.beta.memorystores.memoryversions.MemoryVersionRedactParams;
import com.anthropic.models.beta.memorystores.memoryversions.MemoryVersionRetrieveParams;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every REST endpoint through the official Anthropic Java SDK, pointed at the server with only the base URL changed. */
class SdkEndpointsTest {

    @TempDir
    java.nio.file.Path dir;

    ServerFixture f;

    @BeforeEach
    void start() {
        f = new ServerFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private BetaManagedAgentsMemoryStore newStore(String name) {
        return f.client.beta().memoryStores().create(MemoryStoreCreateParams.builder().name(name).build());
    }

    private BetaManagedAgentsMemory create(String storeId, String path, String content) {
        return f.client.beta().memoryStores().memories().create(storeId,
                MemoryCreateParams.builder().path(path).content(content).build());
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void storesCreateRetrieveUpdateListArchiveDelete() {
        var stores = f.client.beta().memoryStores();
        BetaManagedAgentsMemoryStore created = stores.create(MemoryStoreCreateParams.builder()
                .name("Project notes").description("What we learned")
                .metadata(MemoryStoreCreateParams.Metadata.builder()
                        .putAdditionalProperty("team", JsonValue.from("build"))
                        .putAdditionalProperty("tier", JsonValue.from("gold")).build())
                .build());
        assertThat(created.id()).startsWith("memstore_");
        assertThat(created.name()).isEqualTo("Project notes");
        assertThat(created.description()).isEqualTo("What we learned");
        assertThat(created.archivedAt()).isEmpty();
        assertThat(created.metadata()._additionalProperties()).containsEntry("team", JsonValue.from("build"));

        BetaManagedAgentsMemoryStore got = stores.retrieve(created.id());
        assertThat(got.id()).isEqualTo(created.id());
        assertThat(got.createdAt()).isEqualTo(created.createdAt());

        BetaManagedAgentsMemoryStore updated = stores.update(created.id(), MemoryStoreUpdateParams.builder()
                .name("Notes").description("")
                .metadata(MemoryStoreUpdateParams.Metadata.builder()
                        .putAdditionalProperty("tier", JsonValue.from(null))
                        .putAdditionalProperty("owner", JsonValue.from("ana")).build())
                .build());
        assertThat(updated.name()).isEqualTo("Notes");
        assertThat(updated.description()).isEmpty();
        assertThat(updated.metadata()._additionalProperties())
                .containsEntry("team", JsonValue.from("build"))
                .containsEntry("owner", JsonValue.from("ana"))
                .doesNotContainKey("tier");

        BetaManagedAgentsMemoryStore second = newStore("Second");
        List<String> listed = stores.list().data().stream().map(BetaManagedAgentsMemoryStore::id).toList();
        assertThat(listed).containsExactly(second.id(), created.id());

        BetaManagedAgentsMemoryStore archived = stores.archive(created.id());
        assertThat(archived.archivedAt()).isPresent();
        assertThat(stores.archive(created.id()).archivedAt()).isEqualTo(archived.archivedAt());
        assertThat(stores.list().data()).extracting(BetaManagedAgentsMemoryStore::id).containsExactly(second.id());
        assertThat(stores.list(MemoryStoreListParams.builder().includeArchived(true).build()).data())
                .extracting(BetaManagedAgentsMemoryStore::id).containsExactly(second.id(), created.id());
        OffsetDateTime future = OffsetDateTime.now().plusDays(1);
        assertThat(stores.list(MemoryStoreListParams.builder().includeArchived(true).createdAtGte(future).build())
                .data()).isEmpty();
        assertThat(stores.list(MemoryStoreListParams.builder().includeArchived(true).createdAtLte(future).build())
                .data()).hasSize(2);

        // an archived store refuses writes with a conflict
        ConflictException archivedWrite = catchThrowableOfType(ConflictException.class,
                () -> create(created.id(), "/a.md", "x"));
        assertThat(ServerFixture.errorBody(archivedWrite).at("/error/type").asText()).isEqualTo("conflict_error");

        var deleted = stores.delete(created.id());
        assertThat(deleted.id()).isEqualTo(created.id());
        assertThat(deleted._type()).isEqualTo(JsonValue.from("memory_store_deleted"));
        assertThatThrownBy(() -> stores.retrieve(created.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void storesPageToTheEnd() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(0, newStore("s" + i).id());
        }
        MemoryStoreListPage page = f.client.beta().memoryStores().list(MemoryStoreListParams.builder().limit(3).build());
        List<String> seen = new ArrayList<>();
        int pages = 1;
        seen.addAll(page.data().stream().map(BetaManagedAgentsMemoryStore::id).toList());
        while (page.hasNextPage()) {
            page = page.nextPage();
            pages++;
            seen.addAll(page.data().stream().map(BetaManagedAgentsMemoryStore::id).toList());
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(ids);
        List<String> auto = new ArrayList<>();
        f.client.beta().memoryStores().list(MemoryStoreListParams.builder().limit(2).build()).autoPager()
                .forEach(s -> auto.add(s.id()));
        assertThat(auto).isEqualTo(ids);
    }

    @Test
    void memoriesCreateRetrieveUpdateDeleteWithPreconditions() throws Exception {
        String sid = newStore("Notes").id();
        var mems = f.client.beta().memoryStores().memories();

        BetaManagedAgentsMemory m = create(sid, "/build.md", "Run mvn verify.");
        assertThat(m.id()).startsWith("mem_");
        assertThat(m.content()).isEmpty();   // create answers with view=basic by default
        assertThat(m.contentSha256()).isEqualTo(sha256("Run mvn verify."));
        assertThat(m.contentSizeBytes()).isEqualTo(15);

        BetaManagedAgentsMemory got = mems.retrieve(m.id(), MemoryRetrieveParams.builder().memoryStoreId(sid).build());
        assertThat(got.content()).contains("Run mvn verify.");
        assertThat(mems.retrieve(m.id(), MemoryRetrieveParams.builder().memoryStoreId(sid)
                .view(BetaManagedAgentsMemoryView.BASIC).build()).content()).isEmpty();

        // a conditional update that holds
        BetaManagedAgentsMemory v2 = mems.update(m.id(), MemoryUpdateParams.builder().memoryStoreId(sid)
                .content("Run mvn -B verify.")
                .precondition(BetaManagedAgentsPrecondition.builder().contentSha256(m.contentSha256()).build())
                .view(BetaManagedAgentsMemoryView.FULL).build());
        assertThat(v2.content()).contains("Run mvn -B verify.");
        assertThat(v2.memoryVersionId()).isNotEqualTo(m.memoryVersionId());

        // the same request retried after it was applied: 200, nothing new written
        BetaManagedAgentsMemory retried = mems.update(m.id(), MemoryUpdateParams.builder().memoryStoreId(sid)
                .content("Run mvn -B verify.")
                .precondition(BetaManagedAgentsPrecondition.builder().contentSha256(m.contentSha256()).build())
                .build());
        assertThat(retried.memoryVersionId()).isEqualTo(v2.memoryVersionId());

        // a stale precondition: 409 memory_precondition_failed_error, and the SDK is told not to retry it
        ConflictException stale = catchThrowableOfType(ConflictException.class, () -> mems.update(m.id(),
                MemoryUpdateParams.builder().memoryStoreId(sid).content("lost update")
                        .precondition(BetaManagedAgentsPrecondition.builder().contentSha256(m.contentSha256())
                                .build()).build()));
        assertThat(ServerFixture.errorBody(stale).at("/error/type").asText())
                .isEqualTo("memory_precondition_failed_error");
        assertThat(stale.headers().values("x-should-retry")).containsExactly("false");
        assertThat(mems.retrieve(m.id(), MemoryRetrieveParams.builder().memoryStoreId(sid).build()).content())
                .contains("Run mvn -B verify.");

        // rename keeps the id; a path conflict names the memory in the way
        BetaManagedAgentsMemory other = create(sid, "/other.md", "x");
        BetaManagedAgentsMemory renamed = mems.update(m.id(), MemoryUpdateParams.builder().memoryStoreId(sid)
                .path("/docs/build.md").build());
        assertThat(renamed.id()).isEqualTo(m.id());
        assertThat(renamed.path()).isEqualTo("/docs/build.md");
        ConflictException clash = catchThrowableOfType(ConflictException.class,
                () -> create(sid, "/other.md", "y"));
        JsonNode body = ServerFixture.errorBody(clash);
        assertThat(body.at("/type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).isEqualTo("memory_path_conflict_error");
        assertThat(body.at("/error/conflicting_memory_id").asText()).isEqualTo(other.id());
        assertThat(body.at("/error/conflicting_path").asText()).isEqualTo("/other.md");
        ConflictException renameClash = catchThrowableOfType(ConflictException.class, () -> mems.update(m.id(),
                MemoryUpdateParams.builder().memoryStoreId(sid).path("/other.md").build()));
        assertThat(ServerFixture.errorBody(renameClash).at("/error/type").asText())
                .isEqualTo("memory_path_conflict_error");

        // delete with the wrong hash: 409, still there; with the right one: gone
        ConflictException wrongDelete = catchThrowableOfType(ConflictException.class, () -> mems.delete(other.id(),
                MemoryDeleteParams.builder().memoryStoreId(sid).expectedContentSha256(sha256("nope")).build()));
        assertThat(ServerFixture.errorBody(wrongDelete).at("/error/type").asText())
                .isEqualTo("memory_precondition_failed_error");
        var deleted = mems.delete(other.id(), MemoryDeleteParams.builder().memoryStoreId(sid)
                .expectedContentSha256(sha256("x")).build());
        assertThat(deleted.id()).isEqualTo(other.id());
        assertThat(deleted._type()).isEqualTo(JsonValue.from("memory_deleted"));
        assertThatThrownBy(() -> mems.retrieve(other.id(), MemoryRetrieveParams.builder().memoryStoreId(sid).build()))
                .isInstanceOf(NotFoundException.class);
        mems.delete(m.id(), MemoryDeleteParams.builder().memoryStoreId(sid).build());
        assertThat(mems.list(sid).data()).isEmpty();
    }

    @Test
    void memoriesListByPrefixAndDepthAndPageToTheEnd() {
        String sid = newStore("Notes").id();
        var mems = f.client.beta().memoryStores().memories();
        List<String> paths = List.of("/a.md", "/docs/x.md", "/docs/y.md", "/docs/deep/z.md", "/t/1.md", "/t/2.md",
                "/t/3.md");
        paths.forEach(p -> create(sid, p, "content of " + p));

        List<BetaManagedAgentsMemoryListItem> top = mems.list(sid, MemoryListParams.builder().depth(1).build()).data();
        assertThat(top).hasSize(3);
        assertThat(top.get(0).isMemory()).isTrue();
        assertThat(top.get(0).asMemory().path()).isEqualTo("/a.md");
        assertThat(top.get(1).isMemoryPrefix()).isTrue();
        assertThat(top.get(1).asMemoryPrefix().path()).isEqualTo("/docs/");
        assertThat(top.get(2).asMemoryPrefix().path()).isEqualTo("/t/");

        List<String> docs = mems.list(sid, MemoryListParams.builder().pathPrefix("/docs/").build()).data().stream()
                .map(i -> i.asMemory().path()).toList();
        assertThat(docs).containsExactly("/docs/deep/z.md", "/docs/x.md", "/docs/y.md");

        MemoryListPage page = mems.list(sid, MemoryListParams.builder().limit(3).view(BetaManagedAgentsMemoryView.FULL)
                .build());
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            for (BetaManagedAgentsMemoryListItem i : page.data()) {
                seen.add(i.asMemory().path());
                assertThat(i.asMemory().content()).contains("content of " + i.asMemory().path());
            }
            if (!page.hasNextPage()) {
                break;
            }
            page = page.nextPage();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(paths.stream().sorted().toList());

        // basic view lists no content; a bad depth and a cursor from another listing are 400s
        assertThat(mems.list(sid).data()).allSatisfy(i -> assertThat(i.asMemory().content()).isEmpty());
        assertThatThrownBy(() -> mems.list(sid, MemoryListParams.builder().depth(2).build()))
                .isInstanceOf(BadRequestException.class);
        String cursor = mems.list(sid, MemoryListParams.builder().limit(1).build()).nextPageRaw().orElseThrow();
        assertThatThrownBy(() -> mems.list(sid, MemoryListParams.builder().pathPrefix("/t/").page(cursor).build()))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void versionsListFilterRetrieveAndRedact() {
        String sid = newStore("Notes").id();
        var mems = f.client.beta().memoryStores().memories();
        var versions = f.client.beta().memoryStores().memoryVersions();
        BetaManagedAgentsMemory m = create(sid, "/a.md", "secret: hunter2");
        mems.update(m.id(), MemoryUpdateParams.builder().memoryStoreId(sid).content("no secret here").build());
        BetaManagedAgentsMemory other = create(sid, "/b.md", "b");

        List<BetaManagedAgentsMemoryVersion> all = versions.list(sid).data();
        assertThat(all).hasSize(3);
        assertThat(all.get(0).memoryId()).isEqualTo(other.id());   // newest first
        assertThat(all).allSatisfy(v -> {
            assertThat(v.createdBy()).isPresent();
            assertThat(v.createdBy().get().isApi()).isTrue();
            assertThat(v.createdBy().get().asApi().apiKeyId()).isEqualTo(f.acme.key().id());
            assertThat(v.content()).isEmpty();   // view=basic by default
        });

        List<BetaManagedAgentsMemoryVersion> ofA = versions.list(sid, MemoryVersionListParams.builder()
                .memoryId(m.id()).view(BetaManagedAgentsMemoryView.FULL).build()).data();
        assertThat(ofA).hasSize(2);
        assertThat(ofA.get(0).operation()).isEqualTo(BetaManagedAgentsMemoryVersionOperation.MODIFIED);
        assertThat(ofA.get(1).operation()).isEqualTo(BetaManagedAgentsMemoryVersionOperation.CREATED);
        assertThat(ofA.get(1).content()).contains("secret: hunter2");
        assertThat(versions.list(sid, MemoryVersionListParams.builder()
                .operation(BetaManagedAgentsMemoryVersionOperation.CREATED).build()).data()).hasSize(2);
        assertThat(versions.list(sid, MemoryVersionListParams.builder().apiKeyId(f.acme.key().id()).build()).data())
                .hasSize(3);
        assertThat(versions.list(sid, MemoryVersionListParams.builder().apiKeyId("apikey_someoneelse").build())
                .data()).isEmpty();

        String oldId = ofA.get(1).id();
        BetaManagedAgentsMemoryVersion old = versions.retrieve(oldId,
                MemoryVersionRetrieveParams.builder().memoryStoreId(sid).build());
        assertThat(old.content()).contains("secret: hunter2");

        BetaManagedAgentsMemoryVersion redacted = versions.redact(oldId,
                MemoryVersionRedactParams.builder().memoryStoreId(sid).build());
        assertThat(redacted.redactedAt()).isPresent();
        assertThat(redacted.redactedBy().orElseThrow().asApi().apiKeyId()).isEqualTo(f.acme.key().id());
        assertThat(redacted.content()).isEmpty();
        assertThat(redacted.contentSha256()).isEmpty();
        assertThat(redacted.path()).isEmpty();
        BetaManagedAgentsMemoryVersion reread = versions.retrieve(oldId,
                MemoryVersionRetrieveParams.builder().memoryStoreId(sid).build());
        assertThat(reread.content()).isEmpty();
        assertThat(reread.operation()).isEqualTo(BetaManagedAgentsMemoryVersionOperation.CREATED);

        // the head of a live memory cannot be redacted
        String head = ofA.get(0).id();
        assertThatThrownBy(() -> versions.redact(head, MemoryVersionRedactParams.builder().memoryStoreId(sid).build()))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void anotherWorkspacesIdsAreNotFoundAndBadKeysAreUnauthorized() {
        String sid = newStore("Mine").id();
        BetaManagedAgentsMemory m = create(sid, "/a.md", "mine");
        var theirs = f.otherClient.beta().memoryStores();
        assertThatThrownBy(() -> theirs.retrieve(sid)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> theirs.memories().retrieve(m.id(),
                MemoryRetrieveParams.builder().memoryStoreId(sid).build())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> theirs.memories().create(sid, MemoryCreateParams.builder().path("/x.md").content("x")
                .build())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> theirs.delete(sid)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> theirs.memoryVersions().list(sid)).isInstanceOf(NotFoundException.class);
        assertThat(theirs.list().data()).isEmpty();

        assertThatThrownBy(() -> f.client("amk_notakeyatall").beta().memoryStores().list())
                .isInstanceOf(UnauthorizedException.class);
        NewApiKey temp = f.db.apiKeys().create(dev.agentmemory.model.WorkspaceId.of("acme"), "temp");
        var tempClient = f.client(temp.secret());
        assertThat(tempClient.beta().memoryStores().list().data()).hasSize(1);
        f.db.apiKeys().revoke(temp.key().id());
        UnauthorizedException revoked = catchThrowableOfType(UnauthorizedException.class,
                () -> tempClient.beta().memoryStores().list());
        assertThat(ServerFixture.errorBody(revoked).at("/error/type").asText()).isEqualTo("authentication_error");

        // nothing of theirs reached our store
        assertThat(f.client.beta().memoryStores().memoryVersions().list(sid).data()).hasSize(1);
    }
}
