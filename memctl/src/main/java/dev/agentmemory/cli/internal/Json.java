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
import dev.agentmemory.wire.WireJson;
import java.io.UncheckedIOException;

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

    /** Parses one of {@link WireJson}'s objects, so that a command can add its own fields to it. */
    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // WireJson writes valid JSON
        }
    }

    static ObjectNode store(MemoryStore s) {
        return tree(WireJson.store(s));
    }

    /** A memory; {@code content} only if it was read with its content. */
    static ObjectNode memory(Memory m) {
        return tree(WireJson.memory(m));
    }

    static ObjectNode prefix(MemoryPrefix p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "memory_prefix");
        n.put("path", p.path());
        return n;
    }

    /** A version; {@code content} only if it has content (a listing leaves it out). */
    static ObjectNode version(MemoryVersion v) {
        ObjectNode n = tree(WireJson.version(v));
        if (v.content().isEmpty()) {
            n.remove("content");
        }
        return n;
    }

    static ObjectNode actor(Actor a) {
        return tree(WireJson.actor(a));
    }
}
