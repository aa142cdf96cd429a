package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryPrefix;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;

/** The {@code --json} shapes: the hosted API's field names, snake_case, ISO-8601 instants, null for absent values. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode store(MemoryStore s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "memory_store");
        n.put("id", s.id().value());
        n.put("workspace_id", s.workspaceId().value());
        n.put("name", s.name());
        n.put("description", s.description());
        ObjectNode meta = n.putObject("metadata");
        new TreeMap<>(s.metadata()).forEach(meta::put);
        if (s.contentLimitBytes().isPresent()) {
            n.put("content_limit_bytes", s.contentLimitBytes().getAsInt());
        } else {
            n.putNull("content_limit_bytes");
        }
        if (s.memoryLimit().isPresent()) {
            n.put("memory_limit", s.memoryLimit().getAsInt());
        } else {
            n.putNull("memory_limit");
        }
        n.put("created_at", s.createdAt().toString());
        n.put("updated_at", s.updatedAt().toString());
        putInstant(n, "archived_at", s.archivedAt());
        return n;
    }

    static ObjectNode memory(Memory m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "memory");
        n.put("id", m.id().value());
        n.put("memory_store_id", m.storeId().value());
        n.put("path", m.path());
        n.put("content_sha256", m.contentSha256());
        n.put("content_size_bytes", m.contentSizeBytes());
        n.put("memory_version_id", m.headVersionId().value());
        n.put("created_at", m.createdAt().toString());
        n.put("updated_at", m.updatedAt().toString());
        if (m.content().isPresent()) {
            n.put("content", m.content().get());
        }
        return n;
    }

    static ObjectNode prefix(MemoryPrefix p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "memory_prefix");
        n.put("path", p.path());
        return n;
    }

    static ObjectNode version(MemoryVersion v) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "memory_version");
        n.put("id", v.id().value());
        n.put("memory_store_id", v.storeId().value());
        n.put("memory_id", v.memoryId().value());
        n.put("operation", v.operation().wireName());
        putString(n, "path", v.path());
        putString(n, "content_sha256", v.contentSha256());
        if (v.contentSizeBytes().isPresent()) {
            n.put("content_size_bytes", v.contentSizeBytes().get());
        } else {
            n.putNull("content_size_bytes");
        }
        n.set("created_by", actor(v.createdBy()));
        n.put("created_at", v.createdAt().toString());
        putInstant(n, "redacted_at", v.redactedAt());
        if (v.redactedBy().isPresent()) {
            n.set("redacted_by", actor(v.redactedBy().get()));
        } else {
            n.putNull("redacted_by");
        }
        if (v.content().isPresent()) {
            n.put("content", v.content().get());
        }
        return n;
    }

    static ObjectNode actor(Actor a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", a.type().wireName());
        String idField = switch (a.type()) {
            case SESSION -> "session_id";
            case API_KEY -> "api_key_id";
            case USER -> "user_id";
            case SERVICE_ACCOUNT -> "service_account_id";
        };
        n.put(idField, a.id());
        return n;
    }

    private static void putString(ObjectNode n, String field, Optional<String> value) {
        if (value.isPresent()) {
            n.put(field, value.get());
        } else {
            n.putNull(field);
        }
    }

    private static void putInstant(ObjectNode n, String field, Optional<Instant> value) {
        if (value.isPresent()) {
            n.put(field, value.get().toString());
        } else {
            n.putNull(field);
        }
    }
}
