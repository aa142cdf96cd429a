package dev.agentmemory.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.RedactionReport;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.StoreUpdate;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The REST endpoints: each reads its parameters, makes exactly one call on the library's workspace, store or session
 * handle, and writes the result in the hosted shape. The library decides every rule; this class only translates.
 * Thread-safe (it keeps only the library's store handles, see {@link StoreHandles}).
 */
public final class RestApi {

    /** The most items of a {@code view=full} memory listing page; larger requests are served 20 at a time. */
    static final int FULL_VIEW_PAGE = 20;
    private static final int DEFAULT_LIMIT = 20;

    /** Who calls: the key's workspace and actor, and the session writes are made through, if one was named. */
    public record Caller(Workspace workspace, Actor actor, Optional<SessionId> session) {
    }

    /**
     * An answer: the status, the JSON body and any headers of the library's own beside the hosted shape.
     *
     * @param status the HTTP status
     * @param body the body, written once to the response
     * @param headers extra response headers, for example {@link #ERASURE_HEADER}
     */
    public record Answer(int status, JsonBody body, Map<String, String> headers) {

        /** Copies the headers. */
        public Answer {
            headers = Map.copyOf(headers);
        }

        /**
         * An answer without extra headers.
         *
         * @param status the HTTP status
         * @param body the body
         */
        public Answer(int status, JsonBody body) {
            this(status, body, Map.of());
        }
    }

    /**
     * The response header of a redaction and of a store deletion that says whether the erased content's bytes have
     * left storage: {@code done}, {@code pending} (the server finishes it in the background and logs when it has) or
     * {@code unknown}. The body keeps the hosted shape.
     */
    public static final String ERASURE_HEADER = "x-agent-memory-erasure";

    /** A request: method, decoded path segments after {@code /v1}, raw query and body. */
    public record Call(String method, List<String> segments, String rawQuery, byte[] body) {
    }

    private final AgentMemory memory;
    private final StoreHandles handles = new StoreHandles();

    /**
     * @param memory the library
     */
    public RestApi(AgentMemory memory) {
        this.memory = memory;
    }

    /** @return the library this API serves */
    public AgentMemory memory() {
        return memory;
    }

    /**
     * Names the route a request matches, for metrics and logs; the same template for every id.
     *
     * @param method the HTTP method
     * @param segs the path segments after {@code /v1}
     * @return for example {@code POST /v1/memory_stores/{id}/memories}, or {@code unmatched}
     */
    public static String route(String method, List<String> segs) {
        int n = segs.size();
        if (n >= 1 && segs.get(0).equals("memory_stores")) {
            if (n == 1) {
                return method + " /v1/memory_stores";
            }
            if (n == 2) {
                return method + " /v1/memory_stores/{id}";
            }
            if (n == 3 && (segs.get(2).equals("archive") || segs.get(2).equals("verify"))) {
                return method + " /v1/memory_stores/{id}/" + segs.get(2);
            }
            if (n >= 3 && (segs.get(2).equals("memories") || segs.get(2).equals("memory_versions"))) {
                String base = method + " /v1/memory_stores/{id}/" + segs.get(2);
                if (n == 3) {
                    return base;
                }
                if (n == 4) {
                    return base + "/{id}";
                }
                if (n == 5 && segs.get(2).equals("memory_versions") && segs.get(4).equals("redact")) {
                    return base + "/{id}/redact";
                }
            }
        }
        if (n >= 1 && segs.get(0).equals("sessions") && n <= 2) {
            return method + (n == 1 ? " /v1/sessions" : " /v1/sessions/{id}");
        }
        return "unmatched";
    }

    /**
     * Serves one request.
     *
     * @param caller who calls
     * @param call the request
     * @return the answer
     * @throws ApiError for anything that is not a 2xx, the library's exceptions translated by {@link Errors}
     */
    public Answer serve(Caller caller, Call call) {
        try {
            return dispatch(caller, call);
        } catch (MemoryException e) {
            throw Errors.from(e);
        }
    }

    private Answer dispatch(Caller c, Call call) {
        List<String> s = call.segments();
        String m = call.method();
        int n = s.size();
        if (n >= 1 && s.get(0).equals("memory_stores")) {
            if (n == 1) {
                return switch (m) {
                    case "POST" -> ok(createStore(c, call));
                    case "GET" -> ok(listStores(c, call));
                    default -> throw notAllowed(m);
                };
            }
            StoreId storeId = pathId(s.get(1), StoreId::of, "memory store");
            if (n == 2) {
                return switch (m) {
                    case "GET" -> ok(noQuery(call, () -> Wire.store(c.workspace().stores().get(storeId))));
                    case "POST" -> ok(updateStore(c, storeId, call));
                    case "DELETE" -> {
                        Query.parse(call.rawQuery(), Set.of());
                        ErasureStatus erasure = c.workspace().stores().delete(storeId);
                        yield erased(JsonBody.of(Wire.deleted(storeId.value(), "memory_store_deleted")), erasure);
                    }
                    default -> throw notAllowed(m);
                };
            }
            if (n == 3 && s.get(2).equals("archive")) {
                if (!m.equals("POST")) {
                    throw notAllowed(m);
                }
                Body.parse(call.body(), Set.of());
                return ok(noQuery(call, () -> Wire.store(c.workspace().stores().archive(storeId))));
            }
            if (n == 3 && s.get(2).equals("verify")) {
                if (!m.equals("POST")) {
                    throw notAllowed(m);
                }
                Query.parse(call.rawQuery(), Set.of());
                memories(c, storeId);   // the store must be visible to the caller first
                return ok(JsonBody.of(ChainVerification.verify(c.workspace().stores(), storeId, call.body())));
            }
            if (s.get(2).equals("memories")) {
                if (n == 3) {
                    return switch (m) {
                        case "POST" -> ok(createMemory(c, storeId, call));
                        case "GET" -> ok(listMemories(c, storeId, call));
                        default -> throw notAllowed(m);
                    };
                }
                if (n == 4) {
                    MemoryId memoryId = pathId(s.get(3), MemoryId::of, "memory");
                    return switch (m) {
                        case "GET" -> ok(getMemory(c, storeId, memoryId, call));
                        case "POST" -> ok(updateMemory(c, storeId, memoryId, call));
                        case "DELETE" -> ok(deleteMemory(c, storeId, memoryId, call));
                        default -> throw notAllowed(m);
                    };
                }
            }
            if (s.get(2).equals("memory_versions")) {
                if (n == 3) {
                    if (!m.equals("GET")) {
                        throw notAllowed(m);
                    }
                    return ok(listVersions(c, storeId, call));
                }
                VersionId versionId = pathId(s.get(3), VersionId::of, "memory version");
                if (n == 4) {
                    if (!m.equals("GET")) {
                        throw notAllowed(m);
                    }
                    Query q = Query.parse(call.rawQuery(), Set.of("view"));
                    boolean full = q.fullView("view", true);
                    return ok(Wire.version(memories(c, storeId).version(versionId), full));
                }
                if (n == 5 && s.get(4).equals("redact")) {
                    if (!m.equals("POST")) {
                        throw notAllowed(m);
                    }
                    Body.parse(call.body(), Set.of());
                    Query.parse(call.rawQuery(), Set.of());
                    memories(c, storeId);   // the store must be visible to the caller first
                    RedactionReport report = c.workspace().stores().redact(storeId, versionId, c.actor());
                    return erased(Wire.version(report.version(), true), report.erasure());
                }
            }
        }
        if (n >= 1 && s.get(0).equals("sessions")) {
            if (n == 1 && m.equals("POST")) {
                return ok(JsonBody.of(createSession(c, call)));
            }
            if (n == 2 && m.equals("GET")) {
                SessionId sid = pathId(s.get(1), SessionId::of, "session");
                return ok(noQuery(call, () -> JsonBody.of(Wire.session(c.workspace().sessions().get(sid).info()))));
            }
            if (n <= 2) {
                throw notAllowed(m);
            }
        }
        throw ApiError.notFound("no endpoint " + m + " /v1/" + String.join("/", s)
                + "; this server serves /v1/memory_stores and a subset of /v1/sessions");
    }

    // ---- memory stores

    private JsonBody createStore(Caller c, Call call) {
        Query.parse(call.rawQuery(), Set.of());
        Body b = Body.parse(call.body(), Set.of("name", "description", "metadata"));
        NewStore.Builder spec = NewStore.named(b.string("name"));
        b.optString("description").ifPresent(spec::description);
        metadata(b).forEach((k, v) -> spec.metadata(k, v.orElseThrow(
                () -> ApiError.invalid("metadata." + k + ": Input should be a valid string"))));
        return Wire.store(c.workspace().stores().create(spec.build()));
    }

    private JsonBody updateStore(Caller c, StoreId storeId, Call call) {
        Query.parse(call.rawQuery(), Set.of());
        Body b = Body.parse(call.body(), Set.of("name", "description", "metadata"));
        StoreUpdate.Builder u = StoreUpdate.builder();
        b.optString("name").ifPresent(u::name);
        b.optString("description").ifPresent(u::description);
        metadata(b).forEach((k, v) -> {
            if (v.isPresent()) {
                u.putMetadata(k, v.get());
            } else {
                u.removeMetadata(k);
            }
        });
        return Wire.store(c.workspace().stores().update(storeId, u.build()));
    }

    private static Map<String, Optional<String>> metadata(Body b) {
        Map<String, Optional<String>> out = new java.util.LinkedHashMap<>();
        Optional<Body> meta = b.optObject("metadata", Set.of());
        if (meta.isPresent()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = meta.get().json().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    out.put(e.getKey(), Optional.empty());
                } else if (e.getValue().isTextual()) {
                    out.put(e.getKey(), Optional.of(e.getValue().textValue()));
                } else {
                    throw ApiError.invalid("metadata." + e.getKey() + ": Input should be a valid string, not "
                            + e.getValue().getNodeType());
                }
            }
        }
        return out;
    }

    private JsonBody listStores(Caller c, Call call) {
        Query q = Query.parse(call.rawQuery(),
                Set.of("include_archived", "created_at[gte]", "created_at[lte]", "limit", "page"));
        StoreQuery.Builder b = StoreQuery.builder().limit(q.integer("limit").orElse(DEFAULT_LIMIT));
        q.bool("include_archived").ifPresent(b::includeArchived);
        q.instant("created_at[gte]").ifPresent(b::createdAtOrAfter);
        q.instant("created_at[lte]").ifPresent(b::createdAtOrBefore);
        q.string("page").ifPresent(b::cursor);
        return page(c.workspace().stores().list(b.build()), Wire::store);
    }

    // ---- memories

    private JsonBody createMemory(Caller c, StoreId storeId, Call call) {
        Query q = Query.parse(call.rawQuery(), Set.of("view"));
        boolean full = q.fullView("view", false);
        Body b = Body.parse(call.body(), Set.of("path", "content"));
        String path = b.string("path");
        String content = b.string("content");
        return Wire.memory(memories(c, storeId).create(path, content), full);
    }

    private JsonBody getMemory(Caller c, StoreId storeId, MemoryId memoryId, Call call) {
        Query q = Query.parse(call.rawQuery(), Set.of("view"));
        boolean full = q.fullView("view", true);
        return Wire.memory(memories(c, storeId).get(memoryId), full);
    }

    private JsonBody updateMemory(Caller c, StoreId storeId, MemoryId memoryId, Call call) {
        Query q = Query.parse(call.rawQuery(), Set.of("view"));
        boolean full = q.fullView("view", false);
        Body b = Body.parse(call.body(), Set.of("content", "path", "precondition"));
        Optional<String> content = b.optString("content");
        Optional<String> path = b.optString("path");
        Optional<String> sha = Optional.empty();
        Optional<Body> pre = b.optObject("precondition", Set.of("type", "content_sha256"));
        if (pre.isPresent()) {
            String type = pre.get().string("type");
            if (!type.equals("content_sha256")) {
                throw ApiError.invalid("precondition.type: Input should be 'content_sha256', not '" + type + "'");
            }
            sha = Optional.of(pre.get().string("content_sha256"));
        }
        MemoryUpdate update = new MemoryUpdate(content, path, sha);
        return Wire.memory(memories(c, storeId).update(memoryId, update), full);
    }

    private JsonBody deleteMemory(Caller c, StoreId storeId, MemoryId memoryId, Call call) {
        Query q = Query.parse(call.rawQuery(), Set.of("expected_content_sha256"));
        Memories mems = memories(c, storeId);
        Optional<String> expected = q.string("expected_content_sha256");
        if (expected.isPresent()) {
            mems.delete(memoryId, expected.get());
        } else {
            mems.delete(memoryId);
        }
        return JsonBody.of(Wire.deleted(memoryId.value(), "memory_deleted"));
    }

    private JsonBody listMemories(Caller c, StoreId storeId, Call call) {
        Query q = Query.parse(call.rawQuery(), Set.of("path_prefix", "depth", "view", "limit", "page"));
        boolean full = q.fullView("view", false);
        int limit = q.integer("limit").orElse(DEFAULT_LIMIT);
        if (full && limit > FULL_VIEW_PAGE && limit <= 100) {
            limit = FULL_VIEW_PAGE;
        }
        ListQuery.Builder b = ListQuery.builder().limit(limit).includeContent(full)
                .depth(q.integer("depth").orElse(0));
        q.string("path_prefix").ifPresent(b::pathPrefix);
        q.string("page").ifPresent(b::cursor);
        Page<ListEntry> page = memories(c, storeId).list(b.build());
        return page(page, e -> Wire.entry(e, full));
    }

    // ---- versions

    private JsonBody listVersions(Caller c, StoreId storeId, Call call) {
        Query q = Query.parse(call.rawQuery(), Set.of("memory_id", "session_id", "api_key_id",
                "service_account_id", "operation", "created_at[gte]", "created_at[lte]", "view", "limit", "page"));
        boolean full = q.fullView("view", false);
        VersionQuery.Builder b = VersionQuery.builder().limit(q.integer("limit").orElse(DEFAULT_LIMIT))
                .includeContent(full);
        q.string("memory_id").ifPresent(id -> b.memoryId(MemoryId.of(id)));
        List<Actor> actors = new ArrayList<>();
        q.string("session_id").ifPresent(id -> actors.add(Actor.session(SessionId.of(id))));
        q.string("api_key_id").ifPresent(id -> actors.add(Actor.apiKey(id)));
        q.string("service_account_id").ifPresent(id -> actors.add(Actor.serviceAccount(id)));
        if (actors.size() > 1) {
            throw ApiError.invalid("give at most one of session_id, api_key_id and service_account_id");
        }
        actors.forEach(b::actor);
        if (q.string("operation").isPresent()) {
            String op = q.string("operation").get();
            try {
                b.operation(Operation.fromWireName(op));
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid("operation: Input should be 'created', 'modified' or 'deleted', not '"
                        + op + "'");
            }
        }
        q.instant("created_at[gte]").ifPresent(b::createdAtOrAfter);
        q.instant("created_at[lte]").ifPresent(b::createdAtOrBefore);
        q.string("page").ifPresent(b::cursor);
        Page<MemoryVersion> page = memories(c, storeId).versions(b.build());
        return page(page, v -> Wire.version(v, full));
    }

    // ---- sessions

    private JsonNode createSession(Caller c, Call call) {
        Query.parse(call.rawQuery(), Set.of());
        Body b = Body.parse(call.body(), Set.of("resources"));
        JsonNode resources = b.json().get("resources");
        if (resources == null || !resources.isArray()) {
            throw ApiError.invalid("resources: Input should be a list of memory_store resources");
        }
        List<AttachmentSpec> specs = new ArrayList<>();
        int i = 0;
        for (JsonNode r : resources) {
            if (!(r instanceof ObjectNode obj)) {
                throw ApiError.invalid("resources[" + i + "]: Input should be an object");
            }
            Body rb = Body.of(obj, Set.of("type", "memory_store_id", "access", "instructions"),
                    "resources[" + i + "].");
            String type = rb.string("type");
            if (!type.equals("memory_store")) {
                throw ApiError.invalid("resources[" + i + "].type: this server attaches only 'memory_store'"
                        + " resources, not '" + type + "'");
            }
            StoreId storeId = StoreId.of(rb.string("memory_store_id"));
            String access = rb.optString("access").orElse("read_write");
            AttachmentSpec spec = switch (access) {
                case "read_write" -> AttachmentSpec.readWrite(storeId);
                case "read_only" -> AttachmentSpec.readOnly(storeId);
                default -> throw ApiError.invalid("resources[" + i + "].access: Input should be 'read_write' or"
                        + " 'read_only', not '" + access + "'");
            };
            Optional<String> instructions = rb.optString("instructions");
            if (instructions.isPresent()) {
                spec = spec.withInstructions(instructions.get());
            }
            specs.add(spec);
            i++;
        }
        return Wire.session(c.workspace().sessions().create(specs).info());
    }

    // ---- helpers

    /**
     * The memories of a store as the caller sees them: through the named session's attachment (its access, its
     * attribution) or on behalf of the key.
     */
    private Memories memories(Caller c, StoreId storeId) {
        return handles.get(c.workspace().id(), storeId, c.actor(), c.session(), () -> {
            if (c.session().isPresent()) {
                Session session = c.workspace().sessions().get(c.session().get());
                return session.mount(storeId);
            }
            return c.workspace().memories(storeId, c.actor());
        });
    }

    private static <T> JsonBody page(Page<T> page, Function<T, JsonBody> item) {
        List<JsonBody> items = new ArrayList<>(page.items().size());
        page.items().forEach(t -> items.add(item.apply(t)));
        Optional<String> next = page.nextCursor();
        return g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("data");
            for (JsonBody b : items) {
                b.write(g);
            }
            g.writeEndArray();
            if (next.isPresent()) {
                g.writeStringField("next_page", next.get());
            } else {
                g.writeNullField("next_page");
            }
            g.writeEndObject();
        };
    }

    private static <T> T pathId(String raw, Function<String, T> parse, String what) {
        try {
            return parse.apply(raw);
        } catch (MemoryException e) {
            throw ApiError.notFound("no " + what + " '" + printable(raw) + "': not a well-formed id");
        }
    }

    private static JsonBody noQuery(Call call, java.util.function.Supplier<JsonBody> body) {
        Query.parse(call.rawQuery(), Set.of());
        return body.get();
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    private static Answer ok(JsonBody body) {
        return new Answer(200, body);
    }

    /** A 200 in the hosted shape, with the physical erasure's state in {@link #ERASURE_HEADER}. */
    private static Answer erased(JsonBody body, ErasureStatus erasure) {
        return new Answer(200, body, Map.of(ERASURE_HEADER, erasure.state().wireName()));
    }

    private static ApiError notAllowed(String method) {
        return ApiError.of(405, "invalid_request_error", "method " + method + " is not allowed on this path");
    }
}
