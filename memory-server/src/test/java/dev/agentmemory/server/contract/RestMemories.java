package dev.agentmemory.server.contract;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.beta.memorystores.BetaManagedAgentsMemoryStore;
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
import com.anthropic.models.beta.memorystores.memoryversions.BetaManagedAgentsActor;
import com.anthropic.models.beta.memorystores.memoryversions.BetaManagedAgentsMemoryVersion;
import com.anthropic.models.beta.memorystores.memoryversions.BetaManagedAgentsMemoryVersionOperation;
import com.anthropic.models.beta.memorystores.memoryversions.MemoryVersionListPage;
import com.anthropic.models.beta.memorystores.memoryversions.MemoryVersionListParams;
import com.anthropic.models.beta.memorystores.memoryversions.MemoryVersionRetrieveParams;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.EditTarget;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryPrefix;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.PutResult;
import dev.agentmemory.model.SearchMatch;
import dev.agentmemory.model.SearchQuery;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.model.WorkspaceId;
import java.io.IOException;
import java.text.Normalizer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A client-side {@link Memories} over the hosted REST API, with the official Anthropic Java SDK as its transport: each
 * call is one SDK request to the server (create, retrieve, update, delete, list, version list and retrieve), and each
 * answer or error is read back into the library's types. A lookup by path lists the path as a prefix and retrieves
 * the exact match; {@link #store()} retrieves the store. What the hosted API has no endpoint for (batches, directory
 * moves, edits, the revision counter) throws {@link NotServed}, so a contract test that needs it is
 * reported as not applicable instead of passing through some other route.
 *
 * <p>Errors are read from the answer alone: 400 is {@link LimitExceededException} when the error names a
 * {@code limit} (with its {@code value} and {@code maximum}), else {@link InvalidArgumentException} with the error's
 * {@code rule}; 404 {@link NotFoundException}; 403 {@link ReadOnlyException}; 409 by its error type (a path conflict
 * with the id and path the answer carries, a failed precondition with the current SHA-256 and version it carries,
 * {@code conflict_error} as {@link ArchivedException} when the store turns out to be archived); anything else
 * {@link StorageException}.
 */
final class RestMemories implements Memories {

    private final AnthropicClient client;
    private final StoreId storeId;
    private final Actor actor;

    RestMemories(AnthropicClient client, StoreId storeId, Actor actor) {
        this.client = client;
        this.storeId = storeId;
        this.actor = actor;
    }

    @Override
    public StoreId storeId() {
        return storeId;
    }

    @Override
    public Actor actor() {
        return actor;
    }

    @Override
    public Access access() {
        return Access.READ_WRITE;
    }

    @Override
    public MemoryStore store() {
        return call(Optional.empty(), Optional.empty(),
                () -> store(client.beta().memoryStores().retrieve(storeId.value())));
    }

    @Override
    public long revision() {
        throw NotServed.by("revision()");
    }

    @Override
    public Memory create(String path, String content) {
        return call(Optional.of(path), Optional.empty(), () -> memory(client.beta().memoryStores().memories().create(
                storeId.value(), MemoryCreateParams.builder().path(path).content(content)
                        .view(BetaManagedAgentsMemoryView.FULL).build())));
    }

    @Override
    public Memory get(MemoryId memoryId) {
        return call(Optional.empty(), Optional.empty(), () -> memory(client.beta().memoryStores().memories().retrieve(
                memoryId.value(), MemoryRetrieveParams.builder().memoryStoreId(storeId.value())
                        .view(BetaManagedAgentsMemoryView.FULL).build())));
    }

    @Override
    public Memory getByPath(String path) {
        return findByPath(path).orElseThrow(() -> new NotFoundException("no memory at " + path));
    }

    /**
     * Lists the path's directory one level deep (the hosted API's listing prefix is a whole directory), page by page,
     * until a memory has exactly that path, then retrieves it with its content: the hosted API has no lookup by path,
     * and this is how its clients find one. The server checks the directory part as a listing prefix; the last
     * segment is only compared, as NFC (the form the server stores), so a last segment that breaks the path rules is
     * reported missing rather than refused.
     */
    @Override
    public Optional<Memory> findByPath(String path) {
        String wanted = Normalizer.normalize(path, Normalizer.Form.NFC);
        String directory = path.substring(0, path.lastIndexOf('/') + 1);
        Optional<String> cursor = Optional.empty();
        do {
            MemoryListParams.Builder b = MemoryListParams.builder().memoryStoreId(storeId.value()).limit(100)
                    .depth(1).view(BetaManagedAgentsMemoryView.BASIC);
            if (!directory.isEmpty() && !directory.equals("/")) {
                b.pathPrefix(directory);
            }
            cursor.ifPresent(b::page);
            MemoryListPage page = call(Optional.empty(), Optional.empty(),
                    () -> client.beta().memoryStores().memories().list(b.build()));
            for (BetaManagedAgentsMemoryListItem item : page.data()) {
                if (item.isMemory() && item.asMemory().path().equals(wanted)) {
                    return Optional.of(get(MemoryId.of(item.asMemory().id())));
                }
            }
            cursor = page.nextPageRaw();
        } while (cursor.isPresent());
        return Optional.empty();
    }

    @Override
    public Page<ListEntry> list(ListQuery query) {
        MemoryListParams.Builder b = MemoryListParams.builder().memoryStoreId(storeId.value())
                .limit(query.limit())
                .view(query.includeContent() ? BetaManagedAgentsMemoryView.FULL : BetaManagedAgentsMemoryView.BASIC);
        if (!query.pathPrefix().equals("/")) {
            b.pathPrefix(query.pathPrefix());
        }
        if (query.depth() != 0) {
            b.depth(query.depth());
        }
        query.cursor().ifPresent(b::page);
        return call(Optional.empty(), Optional.empty(), () -> {
            MemoryListPage page = client.beta().memoryStores().memories().list(b.build());
            List<ListEntry> items = new ArrayList<>();
            for (BetaManagedAgentsMemoryListItem item : page.data()) {
                if (item.isMemory()) {
                    Memory m = memory(item.asMemory());
                    items.add(query.includeContent() ? m : m.withoutContent());
                } else {
                    items.add(new MemoryPrefix(item.asMemoryPrefix().path()));
                }
            }
            return new Page<>(items, page.nextPageRaw());
        });
    }

    @Override
    public Memory update(MemoryId memoryId, MemoryUpdate update) {
        MemoryUpdateParams.Builder b = MemoryUpdateParams.builder().memoryStoreId(storeId.value())
                .memoryId(memoryId.value()).view(BetaManagedAgentsMemoryView.FULL);
        update.content().ifPresent(b::content);
        update.path().ifPresent(b::path);
        update.expectedContentSha256().ifPresent(sha -> b.precondition(
                BetaManagedAgentsPrecondition.builder().contentSha256(sha).build()));
        return call(update.path(), Optional.of(new Expected(memoryId, update.expectedContentSha256())),
                () -> memory(client.beta().memoryStores().memories().update(b.build())));
    }

    @Override
    public void delete(MemoryId memoryId) {
        call(Optional.empty(), Optional.empty(), () -> client.beta().memoryStores().memories().delete(
                MemoryDeleteParams.builder().memoryStoreId(storeId.value()).memoryId(memoryId.value()).build()));
    }

    @Override
    public void delete(MemoryId memoryId, String expectedContentSha256) {
        call(Optional.empty(), Optional.of(new Expected(memoryId, Optional.of(expectedContentSha256))),
                () -> client.beta().memoryStores().memories().delete(MemoryDeleteParams.builder()
                        .memoryStoreId(storeId.value()).memoryId(memoryId.value())
                        .expectedContentSha256(expectedContentSha256).build()));
    }

    @Override
    public List<Memory> move(String fromPrefix, String toPrefix) {
        throw NotServed.by("move");
    }

    @Override
    public List<ChangeResult> apply(Batch batch) {
        throw NotServed.by("apply(Batch)");
    }

    @Override
    public ChangeResult apply(Change change) {
        throw NotServed.by("apply(Change)");
    }

    @Override
    public ChangeResult edit(String path, UnaryOperator<String> edit) {
        throw NotServed.by("edit");
    }

    @Override
    public List<ChangeResult> deleteDirectory(String prefix) {
        throw NotServed.by("deleteDirectory");
    }

    @Override
    public String normalizePath(String path) {
        throw NotServed.by("normalizePath");
    }

    @Override
    public void checkWritable() {
        throw NotServed.by("checkWritable");
    }

    @Override
    public void checkWritable(MemoryId memoryId, String expectedContentSha256) {
        throw NotServed.by("checkWritable");
    }

    @Override
    public Page<MemoryVersion> versions(VersionQuery query) {
        MemoryVersionListParams.Builder b = MemoryVersionListParams.builder().memoryStoreId(storeId.value())
                .limit(query.limit())
                .view(query.includeContent() ? BetaManagedAgentsMemoryView.FULL : BetaManagedAgentsMemoryView.BASIC);
        query.memoryId().ifPresent(id -> b.memoryId(id.value()));
        query.operation().ifPresent(op -> b.operation(BetaManagedAgentsMemoryVersionOperation.of(op.wireName())));
        query.createdAtOrAfter().ifPresent(t -> b.createdAtGte(OffsetDateTime.ofInstant(t, ZoneOffset.UTC)));
        query.createdAtOrBefore().ifPresent(t -> b.createdAtLte(OffsetDateTime.ofInstant(t, ZoneOffset.UTC)));
        query.cursor().ifPresent(b::page);
        if (query.actor().isPresent()) {
            Actor a = query.actor().get();
            switch (a.type()) {
                case SESSION -> b.sessionId(a.id());
                case API_KEY -> b.apiKeyId(a.id());
                case SERVICE_ACCOUNT -> b.serviceAccountId(a.id());
                case USER -> throw NotServed.by("filtering versions by user (the hosted API has no user_id filter)");
            }
        }
        return call(Optional.empty(), Optional.empty(), () -> {
            MemoryVersionListPage page = client.beta().memoryStores().memoryVersions().list(b.build());
            List<MemoryVersion> items = new ArrayList<>();
            for (BetaManagedAgentsMemoryVersion v : page.data()) {
                items.add(version(v));
            }
            return new Page<>(items, page.nextPageRaw());
        });
    }

    @Override
    public MemoryVersion version(VersionId versionId) {
        return call(Optional.empty(), Optional.empty(), () -> version(client.beta().memoryStores().memoryVersions()
                .retrieve(versionId.value(), MemoryVersionRetrieveParams.builder().memoryStoreId(storeId.value())
                        .view(BetaManagedAgentsMemoryView.FULL).build())));
    }

    // ------------------------------------------------------------------------------------------------ translation

    private static Memory memory(BetaManagedAgentsMemory m) {
        return new Memory(MemoryId.of(m.id()), StoreId.of(m.memoryStoreId()), m.path(), m.content(),
                m.contentSha256(), m.contentSizeBytes(), VersionId.of(m.memoryVersionId()), instant(m.createdAt()),
                instant(m.updatedAt()));
    }

    /**
     * Reads a store back. The hosted object has no workspace or limits; this server adds {@code workspace_id},
     * {@code content_limit_bytes} and {@code memory_limit}, which the SDK keeps as additional properties.
     */
    private static MemoryStore store(BetaManagedAgentsMemoryStore s) {
        Map<String, JsonValue> extra = s._additionalProperties();
        Map<String, String> metadata = new TreeMap<>();
        s.metadata()._additionalProperties().forEach((k, v) -> metadata.put(k, v.asStringOrThrow()));
        JsonValue workspaceId = extra.get("workspace_id");
        Optional<String> workspace = workspaceId == null ? Optional.empty() : workspaceId.asString();
        if (workspace.isEmpty()) {
            throw new StorageException("the store object names no workspace_id", null);
        }
        return new MemoryStore(StoreId.of(s.id()), WorkspaceId.of(workspace.get()), s.name(), s.description(), metadata,
                optionalInt(extra.get("content_limit_bytes")), optionalInt(extra.get("memory_limit")),
                instant(s.createdAt()), instant(s.updatedAt()), s.archivedAt().map(RestMemories::instant));
    }

    private static OptionalInt optionalInt(JsonValue v) {
        if (v == null) {
            return OptionalInt.empty();
        }
        Optional<Number> n = v.asNumber();
        return n.isPresent() ? OptionalInt.of(n.get().intValue()) : OptionalInt.empty();
    }

    private static MemoryVersion version(BetaManagedAgentsMemoryVersion v) {
        return new MemoryVersion(VersionId.of(v.id()), StoreId.of(v.memoryStoreId()), MemoryId.of(v.memoryId()),
                Operation.fromWireName(v.operation().asString()), v.path(), v.content(), v.contentSha256(),
                v.contentSizeBytes().map(Integer::longValue),
                actor(v.createdBy().orElseThrow(() -> new IllegalStateException("a version without created_by"))),
                instant(v.createdAt()), v.redactedAt().map(RestMemories::instant), v.redactedBy().map(RestMemories::actor));
    }

    private static Actor actor(BetaManagedAgentsActor a) {
        if (a.isApi()) {
            return Actor.apiKey(a.api().orElseThrow().apiKeyId());
        }
        if (a.isSession()) {
            return Actor.session(SessionId.of(a.session().orElseThrow().sessionId()));
        }
        if (a.isUser()) {
            return Actor.user(a.user().orElseThrow().userId());
        }
        return Actor.serviceAccount(a.serviceAccount().orElseThrow().serviceAccountId());
    }

    private static Instant instant(OffsetDateTime t) {
        return t.toInstant();
    }

    /** A conditional write's memory and expected SHA-256, to read back the current state when it fails. */
    private record Expected(MemoryId memoryId, Optional<String> sha256) {
    }

    private <T> T call(Optional<String> path, Optional<Expected> expected, Supplier<T> request) {
        try {
            return request.get();
        } catch (AnthropicServiceException e) {
            throw translate(e, path, expected);
        }
    }

    private MemoryException translate(AnthropicServiceException e, Optional<String> path,
            Optional<Expected> expected) {
        JsonNode error = body(e).path("error");
        String type = error.path("type").asText("");
        String message = error.path("message").asText("HTTP " + e.statusCode());
        return switch (e.statusCode()) {
            case 400 -> error.has("limit") ? new LimitExceededException(limit(error.path("limit").asText()),
                    error.path("value").asLong(), error.path("maximum").asLong(), message)
                    : new InvalidArgumentException(error.path("rule").asText("http.invalid_request"), message);
            case 403 -> new ReadOnlyException(message);
            case 404 -> new NotFoundException(message);
            case 409 -> switch (type) {
                case "memory_path_conflict_error" -> new PathConflictException(path.orElse(
                        error.path("conflicting_path").asText()), MemoryId.of(error.path("conflicting_memory_id")
                        .asText()), error.path("conflicting_path").asText());
                case "memory_precondition_failed_error" -> preconditionFailed(expected.orElseThrow(), error);
                default -> archived(message);
            };
            default -> new StorageException("HTTP " + e.statusCode() + " " + type + ": " + message, e);
        };
    }

    private static MemoryException preconditionFailed(Expected expected, JsonNode error) {
        return new PreconditionFailedException(expected.memoryId(), expected.sha256().orElse(""),
                error.path("current_content_sha256").asText(),
                VersionId.of(error.path("current_memory_version_id").asText()));
    }

    private static LimitExceededException.Limit limit(String wireName) {
        for (LimitExceededException.Limit l : LimitExceededException.Limit.values()) {
            if (l.wireName().equals(wireName)) {
                return l;
            }
        }
        throw new IllegalStateException("the server named an unknown limit " + wireName);
    }

    private MemoryException archived(String message) {
        BetaManagedAgentsMemoryStore store = client.beta().memoryStores().retrieve(storeId.value());
        return store.archivedAt().isPresent() ? new ArchivedException(storeId, "this store") : new ConflictException(
                message);
    }

    private static JsonNode body(AnthropicServiceException e) {
        try {
            return ObjectMappers.jsonMapper().readTree(ObjectMappers.jsonMapper().writeValueAsString(e.body()));
        } catch (IOException x) {
            throw new StorageException("unreadable error body: " + x.getMessage(), x);
        }
    }

    // The hosted API has no endpoint for these: bytes are sent as JSON text, and put by path, search, the byte edit and
    // the checks without writing are the library's own.

    @Override
    public Memory create(String path, byte[] content) {
        throw NotServed.by("create from bytes");
    }

    @Override
    public Memory update(MemoryId memoryId, byte[] content) {
        throw NotServed.by("update from bytes");
    }

    @Override
    public Memory update(MemoryId memoryId, byte[] content, String expectedContentSha256) {
        throw NotServed.by("update from bytes");
    }

    @Override
    public PutResult put(String path, String content) {
        throw NotServed.by("put by path");
    }

    @Override
    public PutResult put(String path, String content, String expectedContentSha256) {
        throw NotServed.by("put by path");
    }

    @Override
    public ChangeResult updateByPath(String path, MemoryUpdate update) {
        throw NotServed.by("updateByPath");
    }

    @Override
    public ChangeResult deleteByPath(String path) {
        throw NotServed.by("deleteByPath");
    }

    @Override
    public ChangeResult deleteByPath(String path, String expectedContentSha256) {
        throw NotServed.by("deleteByPath");
    }

    @Override
    public Stream<SearchMatch> search(SearchQuery query) {
        throw NotServed.by("search");
    }

    @Override
    public ChangeResult edit(EditTarget target, UnaryOperator<byte[]> edit) {
        throw NotServed.by("edit of bytes");
    }

    @Override
    public void checkWrite(String path, byte[] content) {
        throw NotServed.by("checkWrite");
    }

    @Override
    public void checkContent(byte[] content) {
        throw NotServed.by("checkContent");
    }
}
