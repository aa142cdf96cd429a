package dev.agentmemory.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two columns kept as JSON: a store's metadata (an object of strings, keys sorted) and a session's attachments
 * (an array of objects). Reading refuses what is not JSON, and an attachment's unknown access value, as a storage
 * failure.
 */
final class JsonColumns {

    private JsonColumns() {
    }

    /** Jackson, set up only when JSON is first read or written: it costs a noticeable part of a cold open. */
    private static final class Lazy {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    static String metadataJson(Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return "{}";
        }
        ObjectNode node = Lazy.JSON.createObjectNode();
        new TreeMap<>(metadata).forEach(node::put);
        return node.toString();
    }

    static Map<String, String> metadata(String json) {
        if (json.equals("{}")) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, String> out = new LinkedHashMap<>();
            Lazy.JSON.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (JsonProcessingException e) {
            throw new StorageException("a store's metadata in the database is not JSON: " + json, e);
        }
    }

    static String attachmentsJson(SessionInfo s) {
        ArrayNode arr = Lazy.JSON.createArrayNode();
        for (Attachment a : s.attachments()) {
            ObjectNode n = arr.addObject();
            n.put("memory_store_id", a.storeId().value());
            n.put("access", a.access().wireName());
            n.put("instructions", a.instructions());
            n.put("slug", a.slug());
            n.put("mount_path", a.mountPath());
            n.put("name", a.storeName());
            n.put("description", a.storeDescription());
        }
        return arr.toString();
    }

    static List<Attachment> attachments(String json) {
        try {
            List<Attachment> out = new ArrayList<>();
            for (JsonNode n : Lazy.JSON.readTree(json)) {
                out.add(new Attachment(StoreId.of(n.get("memory_store_id").asText()),
                        RowMapping.stored("access", n.path("access").asText(""), Access::fromWireName),
                        n.get("instructions").asText(), n.get("slug").asText(), n.get("mount_path").asText(),
                        n.get("name").asText(), n.get("description").asText()));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new StorageException("a session's attachments in the database are not JSON: " + json, e);
        }
    }
}
