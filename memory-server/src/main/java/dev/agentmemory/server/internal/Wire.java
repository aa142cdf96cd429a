package dev.agentmemory.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryPrefix;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.wire.WireJson;
import java.time.Instant;

/**
 * Writes the library's values as the hosted API's JSON objects, field for field: stores, memories, versions and
 * actors as the core's {@link WireJson} defines them, streamed to the response's generator, and the server's own
 * objects (sessions, deletions, errors) as small trees. Stateless and thread-safe.
 */
public final class Wire {

    /** The mapper every request and response goes through. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Wire() {
    }

    /**
     * A store as a {@code memory_store} object, as {@link WireJson#writeStore} writes it.
     *
     * @param s the store
     * @return the body
     */
    public static JsonBody store(MemoryStore s) {
        return g -> WireJson.writeStore(g, s);
    }

    /**
     * A memory as a {@code memory} object, as {@link WireJson#writeMemory} writes it; {@code content} is null unless
     * asked for and loaded.
     *
     * @param m the memory
     * @param full whether to include the content
     * @return the body
     */
    public static JsonBody memory(Memory m, boolean full) {
        Memory shown = full ? m : m.withoutContent();
        return g -> WireJson.writeMemory(g, shown);
    }

    /**
     * A list entry: a memory, or a {@code memory_prefix} for a directory cut off by {@code depth}.
     *
     * @param e the entry
     * @param full whether memories include their content
     * @return the body
     */
    public static JsonBody entry(ListEntry e, boolean full) {
        if (e instanceof Memory m) {
            return memory(m, full);
        }
        String path = ((MemoryPrefix) e).path();
        return g -> {
            g.writeStartObject();
            g.writeStringField("type", "memory_prefix");
            g.writeStringField("path", path);
            g.writeEndObject();
        };
    }

    /**
     * A version as a {@code memory_version} object, as {@link WireJson#writeVersion} writes it.
     *
     * @param v the version
     * @param full whether to include the content
     * @return the body
     */
    public static JsonBody version(MemoryVersion v, boolean full) {
        MemoryVersion shown = full ? v : v.withoutContent();
        return g -> WireJson.writeVersion(g, shown);
    }

    /**
     * A session with its memory-store resources.
     *
     * @param s the session
     * @return the object
     */
    public static ObjectNode session(SessionInfo s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "session");
        o.put("id", s.id().value());
        var resources = o.putArray("resources");
        for (Attachment a : s.attachments()) {
            ObjectNode r = resources.addObject();
            r.put("type", "memory_store");
            r.put("memory_store_id", a.storeId().value());
            r.put("access", a.access().wireName());
            r.put("instructions", a.instructions());
            r.put("name", a.storeName());
            r.put("description", a.storeDescription());
            r.put("mount_path", a.mountPath());
        }
        o.put("created_at", time(s.createdAt()));
        return o;
    }

    /**
     * A deletion's answer, {@code {"id":...,"type":...}}.
     *
     * @param id the deleted object's id
     * @param type {@code memory_store_deleted} or {@code memory_deleted}
     * @return the object
     */
    public static ObjectNode deleted(String id, String type) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", id);
        o.put("type", type);
        return o;
    }

    /**
     * The hosted error shape.
     *
     * @param e the error
     * @param requestId the request's id
     * @return {@code {"type":"error","error":{...},"request_id":...}}
     */
    public static ObjectNode error(ApiError e, String requestId) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "error");
        ObjectNode inner = o.putObject("error");
        inner.put("type", e.type());
        inner.put("message", e.getMessage());
        e.fields().forEach(inner::put);
        o.put("request_id", requestId);
        return o;
    }

    static String time(Instant t) {
        return t.toString();
    }
}
