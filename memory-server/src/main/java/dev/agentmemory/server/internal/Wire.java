package dev.agentmemory.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryPrefix;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.SessionInfo;
import java.time.Instant;
import java.util.Optional;

/** Writes the library's values as the hosted API's JSON objects, field for field. Stateless and thread-safe. */
public final class Wire {

    /** The mapper every request and response goes through. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Wire() {
    }

    /**
     * A store as a {@code memory_store} object.
     *
     * @param s the store
     * @return the object
     */
    public static ObjectNode store(MemoryStore s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "memory_store");
        o.put("id", s.id().value());
        o.put("name", s.name());
        o.put("description", s.description());
        ObjectNode meta = o.putObject("metadata");
        s.metadata().forEach(meta::put);
        o.put("created_at", time(s.createdAt()));
        o.put("updated_at", time(s.updatedAt()));
        putTime(o, "archived_at", s.archivedAt());
        return o;
    }

    /**
     * A memory as a {@code memory} object; {@code content} is null unless asked for and loaded.
     *
     * @param m the memory
     * @param full whether to include the content
     * @return the object
     */
    public static ObjectNode memory(Memory m, boolean full) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "memory");
        o.put("id", m.id().value());
        o.put("memory_store_id", m.storeId().value());
        o.put("path", m.path());
        if (full && m.content().isPresent()) {
            o.put("content", m.content().get());
        } else {
            o.putNull("content");
        }
        o.put("content_sha256", m.contentSha256());
        o.put("content_size_bytes", m.contentSizeBytes());
        o.put("memory_version_id", m.headVersionId().value());
        o.put("created_at", time(m.createdAt()));
        o.put("updated_at", time(m.updatedAt()));
        return o;
    }

    /**
     * A list entry: a memory, or a {@code memory_prefix} for a directory cut off by {@code depth}.
     *
     * @param e the entry
     * @param full whether memories include their content
     * @return the object
     */
    public static ObjectNode entry(ListEntry e, boolean full) {
        if (e instanceof Memory m) {
            return memory(m, full);
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "memory_prefix");
        o.put("path", ((MemoryPrefix) e).path());
        return o;
    }

    /**
     * A version as a {@code memory_version} object.
     *
     * @param v the version
     * @param full whether to include the content
     * @return the object
     */
    public static ObjectNode version(MemoryVersion v, boolean full) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "memory_version");
        o.put("id", v.id().value());
        o.put("memory_store_id", v.storeId().value());
        o.put("memory_id", v.memoryId().value());
        o.put("operation", v.operation().wireName());
        putString(o, "path", v.path());
        putString(o, "content", full ? v.content() : Optional.empty());
        putString(o, "content_sha256", v.contentSha256());
        if (v.contentSizeBytes().isPresent()) {
            o.put("content_size_bytes", v.contentSizeBytes().get());
        } else {
            o.putNull("content_size_bytes");
        }
        o.set("created_by", actor(v.createdBy()));
        o.put("created_at", time(v.createdAt()));
        putTime(o, "redacted_at", v.redactedAt());
        if (v.redactedBy().isPresent()) {
            o.set("redacted_by", actor(v.redactedBy().get()));
        } else {
            o.putNull("redacted_by");
        }
        return o;
    }

    /**
     * An actor as {@code session_actor}, {@code api_actor}, {@code user_actor} or {@code service_account_actor}.
     *
     * @param a the actor
     * @return the object
     */
    public static ObjectNode actor(Actor a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", a.type().wireName());
        String field = switch (a.type()) {
            case SESSION -> "session_id";
            case API_KEY -> "api_key_id";
            case USER -> "user_id";
            case SERVICE_ACCOUNT -> "service_account_id";
        };
        o.put(field, a.id());
        return o;
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

    private static void putTime(ObjectNode o, String field, Optional<Instant> t) {
        if (t.isPresent()) {
            o.put(field, time(t.get()));
        } else {
            o.putNull(field);
        }
    }

    private static void putString(ObjectNode o, String field, Optional<String> s) {
        if (s.isPresent()) {
            o.put(field, s.get());
        } else {
            o.putNull(field);
        }
    }
}
