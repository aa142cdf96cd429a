package dev.agentmemory.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.ChainUpdate;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.spi.VersionSeal;
import dev.agentmemory.spi.PathOrder;
import dev.agentmemory.spi.StoreRecord;
import dev.agentmemory.spi.VersionFilter;
import dev.agentmemory.wire.WireJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Export and import of a store as JSON Lines: a {@code memory_store} line, then one {@code memory}
 * line per memory, then one {@code memory_version} line per version. Field names and actor objects are those of the
 * hosted API; timestamps are ISO-8601 instants.
 */
final class JsonLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PAGE = 200;
    private static final int CHUNK = 500;

    private final MemoryService svc;
    private final WorkspaceId workspaceId;

    JsonLines(MemoryService svc, WorkspaceId workspaceId) {
        this.svc = svc;
        this.workspaceId = workspaceId;
    }

    // ================================================================ export

    TransferSummary export(StoreId storeId, OutputStream out, ProgressListener progress) {
        MemoryBackend backend = svc.backend();
        StoreRecord rec = svc.store(workspaceId, storeId);
        long total = backend.countMemories(storeId);
        long memories = 0;
        long versions = 0;
        try {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            line(writer, WireJson.store(rec.store()));
            String from = "/";
            while (true) {
                List<Memory> page = backend.scanMemories(storeId, "/", from, PAGE, true);
                for (Memory m : page) {
                    line(writer, WireJson.memory(m));
                    memories++;
                }
                progress.progress("memories", memories, total);
                if (page.size() < PAGE) {
                    break;
                }
                from = PathOrder.successor(page.get(page.size() - 1).path());
            }
            Optional<VersionId> before = Optional.empty();
            while (true) {
                List<MemoryVersion> page = backend.listVersions(storeId, VersionFilter.ALL, before, PAGE, true);
                for (MemoryVersion v : page) {
                    line(writer, WireJson.exportedVersion(v, backend.findSeal(storeId, v.id())));
                    versions++;
                }
                progress.progress("versions", versions, -1);
                if (page.size() < PAGE) {
                    break;
                }
                before = Optional.of(page.get(page.size() - 1).id());
            }
            for (ChainGap g : backend.listGaps(storeId)) {
                line(writer, WireJson.chainGap(storeId, g));
            }
            line(writer, WireJson.chainHead(storeId, rec.chain()));
            writer.flush();
        } catch (IOException e) {
            throw new StorageException("export of store " + storeId + " failed while writing: " + e.getMessage(), e);
        }
        long after = svc.store(workspaceId, storeId).sequence();
        if (after != rec.sequence()) {
            throw new ConflictException("store " + storeId + " changed while it was exported, so the export may"
                    + " not be consistent; discard it, stop the store's writers and export again");
        }
        progress.progress("versions", versions, versions);
        return new TransferSummary(storeId, memories, versions);
    }

    private static void line(Writer writer, String json) throws IOException {
        writer.write(json);
        writer.write('\n');
    }

    // ================================================================ import

    TransferSummary importStore(InputStream in, ProgressListener progress) {
        MemoryBackend backend = svc.backend();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        Reader r = new Reader(reader);
        JsonNode first = r.next();
        if (first == null) {
            throw new InvalidArgumentException("import.empty", "the import is empty: expected a memory_store line");
        }
        MemoryStore store = readStore(r, first);
        if (backend.findStore(store.id()).isPresent()) {
            throw new ConflictException("store " + store.id() + " exists already; delete it first or import into"
                    + " another deployment");
        }
        if (!backend.createStore(new StoreRecord(store, 0))) {
            throw new ConflictException("store " + store.id() + " exists already");
        }
        try {
            TransferSummary summary = importBody(r, store, progress);
            ChainReport chain = new ChainVerifier(backend, store.id(), svc.store(workspaceId, store.id()).chain(),
                    Optional.empty(), ProgressListener.NONE).run();
            if (chain.broken().isPresent()) {
                throw new InvalidArgumentException("import.chain", "the imported hash chain does not verify: "
                        + chain.broken().get().detail() + " (link " + chain.broken().get().position()
                        + "); nothing was imported");
            }
            progress.progress("versions", summary.versions(), summary.versions());
            return summary;
        } catch (IOException e) {
            backend.deleteStore(store.id());
            throw new StorageException("import failed while reading line " + r.lineNo + ": " + e.getMessage()
                    + "; nothing was imported", e);
        } catch (RuntimeException e) {
            backend.deleteStore(store.id());
            throw e;
        }
    }

    /** The state an import checks as it goes. */
    private static final class Seen {
        final Map<MemoryId, Memory> memories = new HashMap<>();
        final Set<String> paths = new HashSet<>();
        final Set<VersionId> versions = new HashSet<>();
        final Map<MemoryId, MemoryVersion> heads = new HashMap<>();
        final Map<VersionId, VersionSeal> seals = new HashMap<>();
        final List<ChainGap> gaps = new ArrayList<>();
        Optional<ChainHead> head = Optional.empty();
    }

    private TransferSummary importBody(Reader r, MemoryStore store, ProgressListener progress) throws IOException {
        Seen seen = new Seen();
        List<Memory> memChunk = new ArrayList<>();
        List<MemoryVersion> verChunk = new ArrayList<>();
        long versions = 0;
        boolean inVersions = false;
        JsonNode node;
        while ((node = r.next()) != null) {
            String type = r.text(node, "type");
            if (type.equals("memory")) {
                if (inVersions) {
                    throw r.bad("memory lines come before version lines");
                }
                Memory m = readMemory(r, node, store);
                if (seen.memories.put(m.id(), m) != null) {
                    throw r.bad("memory " + m.id() + " appears twice");
                }
                if (!seen.paths.add(m.path())) {
                    throw r.bad("two memories have the path " + m.path());
                }
                memChunk.add(m);
            } else if (type.equals("memory_version")) {
                inVersions = true;
                MemoryVersion v = readVersion(r, node, store);
                if (!seen.versions.add(v.id())) {
                    throw r.bad("version " + v.id() + " appears twice");
                }
                Memory m = seen.memories.get(v.memoryId());
                if (m != null && m.headVersionId().equals(v.id())) {
                    seen.heads.put(m.id(), v);
                }
                readSeal(r, node).ifPresent(seal -> seen.seals.put(v.id(), seal));
                verChunk.add(v);
                versions++;
            } else if (type.equals("memory_chain_gap")) {
                inVersions = true;
                JsonNode gapNode = node;
                checkStoreId(r, node, store);
                seen.gaps.add(r.seal(() -> new ChainGap(r.longValue(gapNode, "position"),
                        r.longValue(gapNode, "gap_end"), r.text(gapNode, "gap_hash"), r.instant(gapNode, "created_at"),
                        r.text(gapNode, "hash"))));
            } else if (type.equals("memory_chain_head")) {
                checkStoreId(r, node, store);
                JsonNode headNode = node;
                if (seen.head.isPresent()) {
                    throw r.bad("the chain head appears twice");
                }
                seen.head = Optional.of(r.seal(() -> new ChainHead(r.longValue(headNode, "length"),
                        r.text(headNode, "hash"))));
            } else {
                throw r.bad("unknown line type '" + type + "': expected memory, memory_version, memory_chain_gap or"
                        + " memory_chain_head");
            }
            if (seen.head.isPresent() && !type.equals("memory_chain_head")) {
                throw r.bad("the chain head is the last line");
            }
            if (memChunk.size() + verChunk.size() >= CHUNK) {
                flush(store, memChunk, verChunk, seen.seals);
                progress.progress(inVersions ? "versions" : "memories", inVersions ? versions
                        : seen.memories.size(), -1);
            }
        }
        checkWhole(store, seen);
        flush(store, memChunk, verChunk, seen.seals);
        if (seen.head.isEmpty() && (!seen.seals.isEmpty() || !seen.gaps.isEmpty())) {
            throw new InvalidArgumentException("import.chain", "the import has a hash chain but no memory_chain_head"
                    + " line (is it cut short?); nothing was imported");
        }
        if (seen.head.isPresent()) {
            ChainUpdate last = new ChainUpdate(seen.head.get(), Map.of(), seen.gaps);
            svc.write(workspaceId, store.id(), "import", false, tx -> {
                tx.restoreChain(last);
                return null;
            });
        }
        return new TransferSummary(store.id(), seen.memories.size(), versions);
    }

    private void checkWhole(MemoryStore store, Seen seen) {
        int max = svc.memoryLimit(store);
        if (seen.memories.size() > max) {
            throw new InvalidArgumentException("import.memory_limit", "the import has " + seen.memories.size()
                    + " memories, more than the store's limit of " + max + "; nothing was imported");
        }
        for (Memory m : seen.memories.values()) {
            MemoryVersion head = seen.heads.get(m.id());
            if (head == null) {
                throw new InvalidArgumentException("import.head", "memory " + m.id() + " names head version "
                        + m.headVersionId() + ", which is not among the imported versions; nothing was imported");
            }
            if (head.operation() == Operation.DELETED || !head.path().equals(Optional.of(m.path()))
                    || !head.contentSha256().equals(Optional.of(m.contentSha256()))) {
                throw new InvalidArgumentException("import.head", "memory " + m.id() + " disagrees with its head"
                        + " version " + head.id() + " (path or content); nothing was imported");
            }
            for (String ancestor : PathRules.ancestors(m.path())) {
                if (seen.paths.contains(ancestor)) {
                    throw new InvalidArgumentException("import.path_conflict", "memory " + m.id() + " at "
                            + m.path() + " lies under another memory's path " + ancestor
                            + "; nothing was imported");
                }
            }
        }
    }

    private void flush(MemoryStore store, List<Memory> memories, List<MemoryVersion> versions,
            Map<VersionId, VersionSeal> allSeals) {
        if (memories.isEmpty() && versions.isEmpty()) {
            return;
        }
        List<Memory> ms = List.copyOf(memories);
        List<MemoryVersion> vs = List.copyOf(versions);
        Map<VersionId, VersionSeal> seals = new HashMap<>();
        for (MemoryVersion v : vs) {
            VersionSeal seal = allSeals.get(v.id());
            if (seal != null) {
                seals.put(v.id(), seal);
            }
        }
        // Written as a restore: the store is new and not archived during the import, whatever the export said;
        // the archived state is part of the store line and was set when the store was created.
        svc.write(workspaceId, store.id(), "import", false, tx -> {
            tx.restore(ms, vs);
            // the chain is carried as exported, never sealed anew; the head comes with the last line
            tx.restoreChain(new ChainUpdate(tx.chainHead(), seals, List.of()));
            return null;
        });
        memories.clear();
        versions.clear();
    }

    private MemoryStore readStore(Reader r, JsonNode n) {
        if (!"memory_store".equals(r.text(n, "type"))) {
            throw r.bad("the first line must be the memory_store line");
        }
        Limits limits = svc.limits();
        String name = r.text(n, "name");
        StoreRules.checkName(name, limits);
        String description = r.text(n, "description");
        StoreRules.checkDescription(description, limits);
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode md = n.get("metadata");
        if (md != null && !md.isNull()) {
            if (!md.isObject()) {
                throw r.bad("metadata must be an object");
            }
            md.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw r.bad("metadata value of " + e.getKey() + " must be a string");
                }
                metadata.put(e.getKey(), e.getValue().asText());
            });
        }
        StoreRules.checkMetadata(metadata, limits);
        OptionalInt contentLimit = r.optionalInt(n, "content_limit_bytes");
        OptionalInt memoryLimit = r.optionalInt(n, "memory_limit");
        StoreRules.checkLimits(contentLimit, memoryLimit);
        return new MemoryStore(StoreId.of(r.text(n, "id")), workspaceId, name, description, metadata, contentLimit,
                memoryLimit, r.instant(n, "created_at"), r.instant(n, "updated_at"),
                r.optionalText(n, "archived_at").map(t -> r.parseInstant("archived_at", t)));
    }

    private Memory readMemory(Reader r, JsonNode n, MemoryStore store) {
        checkStoreId(r, n, store);
        String path = r.text(n, "path");
        if (!PathRules.normalize(path, svc.limits()).equals(path)) {
            throw r.bad("path " + path + " is not in NFC");
        }
        String content = r.text(n, "content");
        Contents.Encoded enc = checkContent(r, n, content, store);
        return new Memory(MemoryId.of(r.text(n, "id")), store.id(), path, Optional.of(content), enc.sha256(),
                enc.sizeBytes(), VersionId.of(r.text(n, "memory_version_id")), r.instant(n, "created_at"),
                r.instant(n, "updated_at"));
    }

    private MemoryVersion readVersion(Reader r, JsonNode n, MemoryStore store) {
        checkStoreId(r, n, store);
        Operation op = Operation.fromWireName(r.text(n, "operation"));
        Optional<String> path = r.optionalText(n, "path");
        if (path.isPresent() && !PathRules.normalize(path.get(), svc.limits()).equals(path.get())) {
            throw r.bad("path " + path.get() + " is not in NFC");
        }
        Optional<String> content = r.optionalText(n, "content");
        Optional<String> sha = r.optionalText(n, "content_sha256");
        Optional<Long> size = r.optionalLong(n, "content_size_bytes");
        Optional<Instant> redactedAt = r.optionalText(n, "redacted_at").map(t -> r.parseInstant("redacted_at", t));
        Optional<Actor> redactedBy = r.optionalActor(n, "redacted_by");
        if (redactedAt.isPresent() != redactedBy.isPresent()) {
            throw r.bad("redacted_at and redacted_by come together");
        }
        boolean contentless = redactedAt.isPresent() || op == Operation.DELETED;
        if (contentless) {
            if (content.isPresent() || sha.isPresent() || size.isPresent()) {
                throw r.bad("a deleted or redacted version has no content, content_sha256 or size");
            }
            if (redactedAt.isPresent() && path.isPresent()) {
                throw r.bad("a redacted version has no path");
            }
            if (redactedAt.isEmpty() && path.isEmpty()) {
                throw r.bad("a deleted version keeps its path");
            }
        } else {
            if (content.isEmpty() || path.isEmpty()) {
                throw r.bad("a " + op.wireName() + " version has its path and content");
            }
            Contents.Encoded enc = checkContent(r, n, content.get(), store);
            sha = Optional.of(enc.sha256());
            size = Optional.of(enc.sizeBytes());
        }
        JsonNode by = n.get("created_by");
        if (by == null || by.isNull()) {
            throw r.bad("created_by is required");
        }
        List<String> policyRedactions = new ArrayList<>();
        JsonNode rules = n.get("policy_redactions");
        if (rules != null && !rules.isNull()) {
            if (!rules.isArray()) {
                throw r.bad("policy_redactions is a list of rule ids");
            }
            for (JsonNode rule : rules) {
                if (!rule.isTextual() || rule.asText().isEmpty() || rule.asText().contains(",")) {
                    throw r.bad("policy_redactions holds rule ids (non-empty text without commas)");
                }
                policyRedactions.add(rule.asText());
            }
        }
        return new MemoryVersion(VersionId.of(r.text(n, "id")), store.id(), MemoryId.of(r.text(n, "memory_id")),
                op, path, content, sha, size, r.actor(by), r.instant(n, "created_at"), redactedAt, redactedBy,
                policyRedactions);
    }

    private static Optional<VersionSeal> readSeal(Reader r, JsonNode n) {
        JsonNode ch = n.get("chain");
        if (ch == null || ch.isNull()) {
            return Optional.empty();
        }
        if (!ch.isObject()) {
            throw r.bad("chain must be an object or null");
        }
        return Optional.of(r.seal(() -> new VersionSeal(r.longValue(ch, "position"), r.text(ch, "hash"),
                r.text(ch, "leaf"), r.optionalText(ch, "salt"), r.optionalLong(ch, "redaction_position"),
                r.optionalText(ch, "redaction_hash"))));
    }

    private Contents.Encoded checkContent(Reader r, JsonNode n, String content, MemoryStore store) {
        Contents.Encoded enc = Contents.encode(content);
        int max = svc.contentLimit(store);
        if (enc.sizeBytes() > max) {
            throw r.bad("content of " + enc.sizeBytes() + " bytes is over the store's limit of " + max);
        }
        if (!enc.sha256().equals(r.text(n, "content_sha256"))) {
            throw r.bad("content_sha256 does not match the content");
        }
        if (enc.sizeBytes() != n.path("content_size_bytes").asLong(-1)) {
            throw r.bad("content_size_bytes does not match the content");
        }
        return enc;
    }

    private static void checkStoreId(Reader r, JsonNode n, MemoryStore store) {
        if (!store.id().value().equals(r.text(n, "memory_store_id"))) {
            throw r.bad("memory_store_id is not that of the store line, " + store.id());
        }
    }

    /** Reads lines as JSON objects and reports errors with the line number. */
    private static final class Reader {
        private final BufferedReader in;
        private final JsonFactory factory = MAPPER.getFactory();
        int lineNo;

        Reader(BufferedReader in) {
            this.in = in;
        }

        JsonNode next() {
            String line;
            try {
                do {
                    line = in.readLine();
                    lineNo++;
                } while (line != null && line.isBlank());
            } catch (IOException e) {
                throw new InvalidArgumentException("import.read", "line " + lineNo + " could not be read ("
                        + e.getMessage() + "); the import must be UTF-8 JSON Lines; nothing was imported");
            }
            if (line == null) {
                return null;
            }
            try (var parser = factory.createParser(line)) {
                JsonNode node = MAPPER.readTree(parser);
                if (node == null || !node.isObject() || parser.nextToken() != null) {
                    throw bad("expected one JSON object");
                }
                return node;
            } catch (JsonProcessingException e) {
                throw bad("malformed JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw bad("unreadable: " + e.getMessage());
            }
        }

        InvalidArgumentException bad(String why) {
            return new InvalidArgumentException("import.line", "import line " + lineNo + ": " + why
                    + "; nothing was imported");
        }

        String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || v.getNodeType() != JsonNodeType.STRING) {
                throw bad("field " + field + " must be a string");
            }
            return v.asText();
        }

        Optional<String> optionalText(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            return Optional.of(text(n, field));
        }

        OptionalInt optionalInt(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                return OptionalInt.empty();
            }
            if (!v.isInt()) {
                throw bad("field " + field + " must be an integer");
            }
            return OptionalInt.of(v.asInt());
        }

        Optional<Long> optionalLong(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                throw bad("field " + field + " must be an integer");
            }
            return Optional.of(v.asLong());
        }

        long longValue(JsonNode n, String field) {
            return optionalLong(n, field).orElseThrow(() -> bad("field " + field + " must be an integer"));
        }

        /** Builds a chain value, reporting a field it refuses as this line's error. */
        <T> T seal(java.util.function.Supplier<T> make) {
            try {
                return make.get();
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
        }

        Instant instant(JsonNode n, String field) {
            return parseInstant(field, text(n, field));
        }

        Instant parseInstant(String field, String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw bad("field " + field + " is not an ISO-8601 instant: " + text);
            }
        }

        Optional<Actor> optionalActor(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || v.isNull() ? Optional.empty() : Optional.of(actor(v));
        }

        Actor actor(JsonNode v) {
            if (!v.isObject()) {
                throw bad("an actor is an object with a type and an id");
            }
            Actor.Type type = Actor.Type.fromWireName(text(v, "type"));
            return Actor.of(type, text(v, WireJson.actorIdField(type)));
        }
    }
}
