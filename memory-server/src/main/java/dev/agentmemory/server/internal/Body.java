package dev.agentmemory.server.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * A request's JSON object, read strictly: one object, no trailing data, no duplicate keys, valid UTF-8, only the
 * fields the endpoint knows, each of the right type. Every violation is a 400 that names the field. Not thread-safe
 * (one per request).
 */
public final class Body {

    private static final ObjectReader READER = Wire.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .without(JsonParser.Feature.ALLOW_COMMENTS);

    private final ObjectNode json;

    private Body(ObjectNode json) {
        this.json = json;
    }

    /**
     * Parses a body. An empty body is an empty object.
     *
     * @param bytes the body
     * @param known the fields the endpoint accepts
     * @return the body
     * @throws ApiError 400 if it is not one JSON object of known fields
     */
    public static Body parse(byte[] bytes, Set<String> known) {
        if (bytes.length == 0) {
            return new Body(Wire.MAPPER.createObjectNode());
        }
        JsonNode node;
        try {
            node = READER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.invalid("the request body cannot be read: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return new Body(Wire.MAPPER.createObjectNode());
        }
        if (!(node instanceof ObjectNode obj)) {
            throw ApiError.invalid("the request body must be a JSON object, not " + node.getNodeType());
        }
        Body body = new Body(obj);
        body.onlyKnown(known, "");
        return body;
    }

    /**
     * Wraps an object found inside a body, checked against its own fields.
     *
     * @param obj the object
     * @param known the fields it may have
     * @param where how error messages name it, for example {@code resources[0].}
     * @return the body
     */
    static Body of(ObjectNode obj, Set<String> known, String where) {
        Body body = new Body(obj);
        body.onlyKnown(known, where);
        return body;
    }

    private void onlyKnown(Set<String> known, String where) {
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw ApiError.invalid(where + f + ": Extra inputs are not permitted (this endpoint accepts "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /**
     * Returns a required string field.
     *
     * @param field the field
     * @return its value
     * @throws ApiError 400 if missing, null or not a string
     */
    public String string(String field) {
        return optString(field).orElseThrow(() -> ApiError.invalid(field + ": Field required"));
    }

    /**
     * Returns an optional string field; {@code null} counts as absent.
     *
     * @param field the field
     * @return its value, or empty
     * @throws ApiError 400 if present and not a string
     */
    public Optional<String> optString(String field) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw ApiError.invalid(field + ": Input should be a valid string, not " + n.getNodeType());
        }
        return Optional.of(n.textValue());
    }

    /**
     * Returns an optional object field, checked against its own known fields.
     *
     * @param field the field
     * @param known the inner fields accepted, or empty to accept any
     * @return the inner body, or empty
     * @throws ApiError 400 if present and not an object, or with an unknown inner field
     */
    public Optional<Body> optObject(String field, Set<String> known) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!(n instanceof ObjectNode obj)) {
            throw ApiError.invalid(field + ": Input should be a valid object, not " + n.getNodeType());
        }
        Body inner = new Body(obj);
        if (!known.isEmpty()) {
            inner.onlyKnown(known, field + ".");
        }
        return Optional.of(inner);
    }

    /** @return whether the field is present, even as null */
    boolean has(String field) {
        return json.has(field);
    }

    /** @return the raw JSON object */
    ObjectNode json() {
        return json;
    }
}
