package dev.agentmemory.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.SignedCheckpoint;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.VersionSeal;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The hosted API's JSON objects for the value types, each as one line of compact JSON: snake_case field names, ids
 * as strings, ISO-8601 UTC instants, {@code null} for an absent value, actors as {@code {"type":"user_actor",
 * "user_id":...}}. A store export is these lines; a CLI's {@code --json} output and a server's responses are built
 * from them. Thread-safe: it holds no state.
 */
public final class WireJson {

    private static final JsonFactory JSON = new JsonFactory();

    private WireJson() {
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String object(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Returns a store's object: {@code type} {@code memory_store}, {@code id}, {@code workspace_id}, {@code name},
     * {@code description}, {@code metadata} (keys sorted), {@code content_limit_bytes}, {@code memory_limit},
     * {@code created_at}, {@code updated_at}, {@code archived_at}.
     *
     * @param s the store
     * @return one line of JSON
     */
    public static String store(MemoryStore s) {
        return object(g -> writeStore(g, s));
    }

    /**
     * Writes a store's object, as {@link #store(MemoryStore)} returns it, to a generator: for a caller that builds a
     * larger document (a page of a listing, a response) around it.
     *
     * @param g the generator, where a value may stand
     * @param s the store
     * @throws IOException if the generator fails
     */
    public static void writeStore(JsonGenerator g, MemoryStore s) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "memory_store");
        g.writeStringField("id", s.id().value());
        g.writeStringField("workspace_id", s.workspaceId().value());
        g.writeStringField("name", s.name());
        g.writeStringField("description", s.description());
        g.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> e : new TreeMap<>(s.metadata()).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        optionalInt(g, "content_limit_bytes", s.contentLimitBytes());
        optionalInt(g, "memory_limit", s.memoryLimit());
        g.writeStringField("created_at", s.createdAt().toString());
        g.writeStringField("updated_at", s.updatedAt().toString());
        optional(g, "archived_at", s.archivedAt().map(Instant::toString));
        g.writeEndObject();
    }

    /**
     * Returns a memory's object: {@code type} {@code memory}, {@code id}, {@code memory_store_id}, {@code path},
     * {@code content} (only if the memory was read with its content), {@code content_sha256},
     * {@code content_size_bytes}, {@code memory_version_id}, {@code created_at}, {@code updated_at}.
     *
     * @param m the memory
     * @return one line of JSON
     */
    public static String memory(Memory m) {
        return object(g -> memory(g, m, false));
    }

    /**
     * Writes a memory's object to a generator, as the hosted API answers it: the fields of {@link #memory(Memory)},
     * with {@code content} {@code null} (rather than left out) when the memory was read without its content.
     *
     * @param g the generator, where a value may stand
     * @param m the memory
     * @throws IOException if the generator fails
     */
    public static void writeMemory(JsonGenerator g, Memory m) throws IOException {
        memory(g, m, true);
    }

    private static void memory(JsonGenerator g, Memory m, boolean nullContent) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "memory");
        g.writeStringField("id", m.id().value());
        g.writeStringField("memory_store_id", m.storeId().value());
        g.writeStringField("path", m.path());
        if (m.content().isPresent()) {
            g.writeStringField("content", m.content().get());
        } else if (nullContent) {
            g.writeNullField("content");
        }
        g.writeStringField("content_sha256", m.contentSha256());
        g.writeNumberField("content_size_bytes", m.contentSizeBytes());
        g.writeStringField("memory_version_id", m.headVersionId().value());
        g.writeStringField("created_at", m.createdAt().toString());
        g.writeStringField("updated_at", m.updatedAt().toString());
        g.writeEndObject();
    }

    /**
     * Returns a version's object: {@code type} {@code memory_version}, {@code id}, {@code memory_store_id},
     * {@code memory_id}, {@code operation}, {@code path}, {@code content} ({@code null} for a deletion, a redacted
     * version, or a version read without its content), {@code content_sha256}, {@code content_size_bytes},
     * {@code created_by}, {@code created_at}, {@code redacted_at}, {@code redacted_by}, and, only for a version whose
     * content a write policy redacted before it was stored, {@code policy_redactions} (the rule ids).
     *
     * @param v the version
     * @return one line of JSON
     */
    public static String version(MemoryVersion v) {
        return object(g -> writeVersion(g, v));
    }

    /**
     * Writes a version's object, as {@link #version(MemoryVersion)} returns it, to a generator.
     *
     * @param g the generator, where a value may stand
     * @param v the version
     * @throws IOException if the generator fails
     */
    public static void writeVersion(JsonGenerator g, MemoryVersion v) throws IOException {
        versionFields(g, v);
        g.writeEndObject();
    }

    /**
     * Returns a version's object as {@link #version(MemoryVersion)} does, for a store export: with its seal in the
     * store's hash chain as field {@code chain}, an object of {@code position}, {@code hash}, {@code leaf},
     * {@code salt} ({@code null} once redacted), {@code redaction_position} and {@code redaction_hash} ({@code null}
     * unless redacted); {@code chain} is {@code null} for a version written before the store had a chain.
     *
     * @param v the version
     * @param seal its seal, if it has one
     * @return one line of JSON
     */
    public static String exportedVersion(MemoryVersion v, Optional<VersionSeal> seal) {
        return object(g -> {
            versionFields(g, v);
            if (seal.isEmpty()) {
                g.writeNullField("chain");
            } else {
                VersionSeal s = seal.get();
                g.writeObjectFieldStart("chain");
                g.writeNumberField("position", s.position());
                g.writeStringField("hash", s.hash());
                g.writeStringField("leaf", s.leaf());
                optional(g, "salt", s.salt());
                if (s.redactionPosition().isPresent()) {
                    g.writeNumberField("redaction_position", s.redactionPosition().get());
                } else {
                    g.writeNullField("redaction_position");
                }
                optional(g, "redaction_hash", s.redactionHash());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /**
     * Returns a purge's gap record for a store export: {@code type} {@code memory_chain_gap},
     * {@code memory_store_id}, {@code position}, {@code gap_end}, {@code gap_hash}, {@code created_at}, {@code hash}.
     *
     * @param storeId the store
     * @param gap the record
     * @return one line of JSON
     */
    public static String chainGap(StoreId storeId, ChainGap gap) {
        return object(g -> {
            g.writeStartObject();
            g.writeStringField("type", "memory_chain_gap");
            g.writeStringField("memory_store_id", storeId.value());
            g.writeNumberField("position", gap.position());
            g.writeNumberField("gap_end", gap.gapEnd());
            g.writeStringField("gap_hash", gap.gapHash());
            g.writeStringField("created_at", gap.createdAt().toString());
            g.writeStringField("hash", gap.hash());
            g.writeEndObject();
        });
    }

    /**
     * Returns a store's chain head for a store export, its last line: {@code type} {@code memory_chain_head},
     * {@code memory_store_id}, {@code length}, {@code hash}.
     *
     * @param storeId the store
     * @param head the head
     * @return one line of JSON
     */
    public static String chainHead(StoreId storeId, ChainHead head) {
        return object(g -> {
            g.writeStartObject();
            g.writeStringField("type", "memory_chain_head");
            g.writeStringField("memory_store_id", storeId.value());
            g.writeNumberField("length", head.length());
            g.writeStringField("hash", head.hash());
            g.writeEndObject();
        });
    }

    /**
     * Returns a signed checkpoint's object, as it is published: {@code type} {@code memory_chain_checkpoint},
     * {@code memory_store_id}, {@code length}, {@code head}, {@code signed_at}, {@code key_id}, {@code algorithm}
     * ({@code Ed25519}), {@code signature} (base64).
     *
     * @param s the signed checkpoint
     * @return one line of JSON
     */
    public static String signedCheckpoint(SignedCheckpoint s) {
        return object(g -> {
            g.writeStartObject();
            g.writeStringField("type", "memory_chain_checkpoint");
            g.writeStringField("memory_store_id", s.checkpoint().storeId().value());
            g.writeNumberField("length", s.checkpoint().length());
            g.writeStringField("head", s.checkpoint().head());
            g.writeStringField("signed_at", s.signedAt().toString());
            g.writeStringField("key_id", s.keyId());
            g.writeStringField("algorithm", "Ed25519");
            g.writeStringField("signature", s.signature());
            g.writeEndObject();
        });
    }

    private static void versionFields(JsonGenerator g, MemoryVersion v) throws IOException {
        {
            g.writeStartObject();
            g.writeStringField("type", "memory_version");
            g.writeStringField("id", v.id().value());
            g.writeStringField("memory_store_id", v.storeId().value());
            g.writeStringField("memory_id", v.memoryId().value());
            g.writeStringField("operation", v.operation().wireName());
            optional(g, "path", v.path());
            optional(g, "content", v.content());
            optional(g, "content_sha256", v.contentSha256());
            if (v.contentSizeBytes().isPresent()) {
                g.writeNumberField("content_size_bytes", v.contentSizeBytes().get());
            } else {
                g.writeNullField("content_size_bytes");
            }
            g.writeFieldName("created_by");
            writeActor(g, v.createdBy());
            g.writeStringField("created_at", v.createdAt().toString());
            optional(g, "redacted_at", v.redactedAt().map(Instant::toString));
            if (v.redactedBy().isPresent()) {
                g.writeFieldName("redacted_by");
                writeActor(g, v.redactedBy().get());
            } else {
                g.writeNullField("redacted_by");
            }
            if (!v.policyRedactions().isEmpty()) {
                g.writeArrayFieldStart("policy_redactions");
                for (String rule : v.policyRedactions()) {
                    g.writeString(rule);
                }
                g.writeEndArray();
            }
        }
    }

    /**
     * Returns an actor's object: {@code type} (for example {@code user_actor}) and the id under its kind's field
     * ({@code session_id}, {@code api_key_id}, {@code user_id}, {@code service_account_id}).
     *
     * @param a the actor
     * @return one line of JSON
     */
    public static String actor(Actor a) {
        return object(g -> writeActor(g, a));
    }

    /**
     * Returns the field that holds an actor kind's id.
     *
     * @param type the kind
     * @return for example {@code user_id}
     */
    public static String actorIdField(Actor.Type type) {
        return switch (type) {
            case SESSION -> "session_id";
            case API_KEY -> "api_key_id";
            case USER -> "user_id";
            case SERVICE_ACCOUNT -> "service_account_id";
        };
    }

    /**
     * Writes an actor's object, as {@link #actor(Actor)} returns it, to a generator.
     *
     * @param g the generator, where a value may stand
     * @param a the actor
     * @throws IOException if the generator fails
     */
    public static void writeActor(JsonGenerator g, Actor a) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", a.type().wireName());
        g.writeStringField(actorIdField(a.type()), a.id());
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        } else {
            g.writeNullField(field);
        }
    }

    private static void optionalInt(JsonGenerator g, String field, OptionalInt value) throws IOException {
        if (value.isPresent()) {
            g.writeNumberField(field, value.getAsInt());
        } else {
            g.writeNullField(field);
        }
    }
}
