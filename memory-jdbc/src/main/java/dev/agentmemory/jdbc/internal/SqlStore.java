package dev.agentmemory.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.spi.PathOrder;
import dev.agentmemory.spi.RetryPolicy;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.QuarantinedWrite;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.ChainEntry;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.ChainUpdate;
import dev.agentmemory.spi.Commit;
import dev.agentmemory.spi.ContentFilter;
import dev.agentmemory.spi.VersionSeal;
import dev.agentmemory.spi.StoreFilter;
import dev.agentmemory.spi.StoreRecord;
import dev.agentmemory.spi.VersionFilter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The SQL behind the JDBC backend, for both dialects. Every method is one statement in auto-commit, or one
 * transaction; {@link #commit} is the compare-and-set of the store's sequence together with all the commit's changes.
 *
 * <p>Decoded content is cached by version id: a version's content never changes until it is redacted or removed,
 * and both clear it here. A commit caches its new heads' contents, which it has in hand. On PostgreSQL (and SQLite
 * without a file) reads always fetch the row's metadata first, never from the cache, so a head is never served stale,
 * and content is served from the cache only for the version the fresh row names. On a SQLite file, whole heads are
 * also cached, stamped with the {@link ChangeCounter} value they were read under, and served only while the counter
 * still holds that value: no write has committed since, in any process. Thread-safe.
 */
public final class SqlStore {

    private static final String MEMORY_META =
            "id, path, content_sha256, content_size, head_version_id, created_at, updated_at";
    static final String VERSION_META = "id, memory_id, operation, path, content_sha256, content_size,"
            + " actor_type, actor_id, created_at, redacted_at, redacted_by_type, redacted_by_id, policy_redactions";
    /** A head's content lives in its version's row (schema version 2): the head names the version. */
    private static final String HEADS_JOIN_VERSIONS = " FROM am_memory m JOIN am_version v"
            + " ON v.store_id = m.store_id AND v.id = m.head_version_id";
    private static final String HEAD_CONTENT = "SELECT v.content" + HEADS_JOIN_VERSIONS;
    /** A head's columns as {@link #MEMORY_META} lists them, then its content from its version's row. */
    private static final String HEADS_WITH_CONTENT = "SELECT m.id, m.path, m.content_sha256, m.content_size,"
            + " m.head_version_id, m.created_at, m.updated_at, v.content" + HEADS_JOIN_VERSIONS;
    private static final String STORE_COLS = "id, workspace_id, name, description, metadata, content_limit_bytes,"
            + " memory_limit, created_at, updated_at, archived_at, seq";

    private final Transactions tx;
    private final Cache<VersionId, String> contents;
    private final Optional<ChangeCounter> counter;
    private final Cache<HeadKey, Stamped> heads;
    private final Cache<StoreId, StampedStore> stores;
    private final Runnable afterErase;

    /** A head looked up by id ({@code byPath} false) or by path, in one store. */
    private record HeadKey(StoreId store, boolean byPath, String key) {
    }

    /** A head with its content, as read while the change counter held {@code stamp}. */
    private record Stamped(long stamp, Memory memory) {
    }

    /** A store's row (its sequence is the store's revision), as read while the change counter held {@code stamp}. */
    private record StampedStore(long stamp, StoreRecord record) {
    }

    /**
     * Creates the SQL layer.
     *
     * @param tx the transaction runner
     * @param cacheBytes the most content bytes (as UTF-16 chars times two) to keep decoded in memory; 0 for none
     * @param afterErase run after a commit that erased content (redaction, retention, deletion): the backend's
     *     erasure finisher starts making the erased bytes leave storage
     */
    public SqlStore(Transactions tx, long cacheBytes, Runnable afterErase) {
        this.tx = tx;
        this.contents = Caffeine.newBuilder()
                .maximumWeight(Math.max(cacheBytes, 0))
                .weigher((VersionId k, String v) -> 64 + 2 * v.length())
                .build();
        this.counter = tx.counter();
        this.heads = Caffeine.newBuilder()
                .maximumWeight(counter.isPresent() ? Math.max(cacheBytes, 0) : 0)
                .weigher((HeadKey k, Stamped v) -> 128 + 2 * (k.key().length() + v.memory().text().length()))
                .build();
        // Store rows are small and read on every revision check (a live mount asks before each stat and open): a
        // count bounds them, not the content budget; a budget of 0 still turns this cache off like the others.
        this.stores = Caffeine.newBuilder().maximumSize(counter.isPresent() && cacheBytes > 0 ? 1024 : 0).build();
        this.afterErase = afterErase;
    }

    // ================================================================ stores

    public boolean createStore(StoreRecord rec) {
        MemoryStore s = rec.store();
        return tx.write("create store " + s.id(), c -> {
            if (exists(c, "SELECT 1 FROM am_store WHERE id = ?", s.id().value())) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO am_store (" + STORE_COLS
                    + ", memory_count, chain_length, chain_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
                int i = bindStore(ps, 1, s);
                ps.setLong(i++, rec.sequence());
                ps.setLong(i++, rec.chain().length());
                ps.setString(i, rec.chain().hash());
                ps.executeUpdate();
            }
            return true;
        }, c -> exists(c, "SELECT 1 FROM am_store WHERE id = ? AND created_at = ?", s.id().value(),
                micros(s.createdAt())) ? Optional.of(true) : Optional.empty());
    }

    /**
     * Reads a store's row. On a SQLite file it is served from memory while the change counter still holds the value it
     * was read under (no write has committed since, in any process using this library), like heads; elsewhere it is
     * always read.
     *
     * @param id the store
     * @return the row, if the store exists
     */
    public Optional<StoreRecord> findStore(StoreId id) {
        if (counter.isEmpty()) {
            return readStore(id);
        }
        ChangeCounter cc = counter.get();
        long before = cc.stamp();
        if (ChangeCounter.stable(before)) {
            StampedStore hit = stores.getIfPresent(id);
            if (hit != null && hit.stamp() == before) {
                return Optional.of(hit.record());
            }
        }
        Optional<StoreRecord> read = readStore(id);
        if (read.isPresent() && ChangeCounter.stable(before) && cc.stamp() == before) {
            stores.put(id, new StampedStore(before, read.get()));
        }
        return read;
    }

    private Optional<StoreRecord> readStore(StoreId id) {
        return tx.read("read store " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + STORE_COLS
                    + ", chain_length, chain_head FROM am_store WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new StoreRecord(store(rs), rs.getLong(11),
                            chainHead(id, rs.getLong(12), rs.getString(13)))) : Optional.empty();
                }
            }
        });
    }

    public List<MemoryStore> listStores(WorkspaceId ws, StoreFilter f, Optional<StoreId> before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + STORE_COLS + " FROM am_store WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(ws.value()));
        if (!f.includeArchived()) {
            sql.append(" AND archived_at IS NULL");
        }
        appendNameAndMetadata(sql, args, f);
        newestFirstPage(sql, args, f.createdAtOrAfter(), f.createdAtOrBefore(), before.map(StoreId::value), limit);
        return tx.read("list stores", c -> {
            try (PreparedStatement ps = prepare(c, sql.toString(), args); ResultSet rs = ps.executeQuery()) {
                List<MemoryStore> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(store(rs));
                }
                return out;
            }
        });
    }

    /**
     * Appends a store filter's name and metadata conditions. Metadata is a JSON object of strings: SQLite reads it with
     * {@code json_each}, PostgreSQL as {@code jsonb}; keys and values are bound, never spliced into the statement.
     */
    private void appendNameAndMetadata(StringBuilder sql, List<Object> args, StoreFilter f) {
        f.name().ifPresent(n -> {
            sql.append(" AND name = ?");
            args.add(n);
        });
        f.metadata().forEach((k, v) -> {
            sql.append(tx.dialect() == Dialect.POSTGRESQL ? " AND (CAST(metadata AS jsonb) ->> ?) = ?"
                    : " AND EXISTS (SELECT 1 FROM json_each(am_store.metadata) WHERE json_each.key = ?"
                            + " AND json_each.type = 'text' AND json_each.value = ?)");
            args.add(k);
            args.add(v);
        });
    }

    public boolean deleteStore(StoreId id) {
        boolean deleted = tx.write("delete store " + id, c -> {
            if (!exists(c, "SELECT 1 FROM am_store WHERE id = ?", id.value())) {
                return false;
            }
            for (String table : List.of("am_version", "am_memory", "am_chain_gap", "am_policy_event", "am_quarantine",
                    "am_store")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE "
                        + (table.equals("am_store") ? "id" : "store_id") + " = ?")) {
                    ps.setString(1, id.value());
                    ps.executeUpdate();
                }
            }
            PhysicalErasure.recordRequest(c);
            return true;
        });
        if (deleted) {
            contents.invalidateAll();
            heads.invalidateAll();
            stores.invalidate(id);
            afterErase.run();
        }
        return deleted;
    }

    // ================================================================ memories

    public Optional<Memory> findMemory(StoreId store, MemoryId id) {
        return findMemoryWhere(store, false, id.value());
    }

    public Optional<Memory> findMemoryByPath(StoreId store, String path) {
        return findMemoryWhere(store, true, path);
    }

    private Optional<Memory> findMemoryWhere(StoreId store, boolean byPath, String arg) {
        String where = byPath ? "path = ?" : "id = ?";
        if (counter.isEmpty()) {
            return readMemoryWhere(store, where, arg);
        }
        // SQLite file: serve the head from memory while the change counter says nothing was written since it was
        // read (ChangeCounter explains why that holds across processes).
        ChangeCounter cc = counter.get();
        HeadKey key = new HeadKey(store, byPath, arg);
        long before = cc.stamp();
        if (ChangeCounter.stable(before)) {
            Stamped hit = heads.getIfPresent(key);
            if (hit != null && hit.stamp() == before) {
                return Optional.of(hit.memory());
            }
        }
        Optional<Memory> read = readMemoryWhere(store, where, arg);
        if (read.isPresent() && ChangeCounter.stable(before) && cc.stamp() == before) {
            Stamped fresh = new Stamped(before, read.get());
            heads.put(key, fresh);
            heads.put(key.byPath() ? new HeadKey(store, false, read.get().id().value())
                    : new HeadKey(store, true, read.get().path()), fresh);
        }
        return read;
    }

    private Optional<Memory> readMemoryWhere(StoreId store, String where, String arg) {
        return tx.read("read memory", c -> {
            while (true) {
                Memory meta;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + MEMORY_META
                        + " FROM am_memory WHERE store_id = ? AND " + where)) {
                    ps.setString(1, store.value());
                    ps.setString(2, arg);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        meta = memory(rs, store, Optional.empty());
                    }
                }
                String cached = contents.getIfPresent(meta.headVersionId());
                if (cached != null) {
                    return Optional.of(withContent(meta, cached));
                }
                // The head may move between the two statements: then the guarded read finds nothing; start over.
                try (PreparedStatement ps = c.prepareStatement(HEAD_CONTENT
                        + " WHERE m.store_id = ? AND m.id = ? AND m.head_version_id = ?")) {
                    ps.setString(1, store.value());
                    ps.setString(2, meta.id().value());
                    ps.setString(3, meta.headVersionId().value());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            String text = decode(rs.getBytes(1));
                            contents.put(meta.headVersionId(), text);
                            return Optional.of(withContent(meta, text));
                        }
                    }
                }
            }
        });
    }

    public List<Memory> scanMemories(StoreId store, String prefix, String from, int limit, boolean withContent) {
        String end = prefix.equals("/") ? "0" : PathOrder.prefixEnd(prefix);
        // The service asks for "after p" as p + U+0000; PostgreSQL text cannot hold NUL, so say "> p" instead.
        boolean after = from.endsWith("\u0000");
        String bound = after ? from.substring(0, from.length() - 1) : from;
        String sql = withContent
                ? HEADS_WITH_CONTENT + " WHERE m.store_id = ?"
                        + (after ? " AND m.path > ?" : " AND m.path >= ?") + " AND m.path < ? ORDER BY m.path LIMIT ?"
                : "SELECT " + MEMORY_META + " FROM am_memory WHERE store_id = ?"
                        + (after ? " AND path > ?" : " AND path >= ?") + " AND path < ? ORDER BY path LIMIT ?";
        return tx.read("list memories", c -> {
            try (PreparedStatement ps = prepare(c, sql, List.of(store.value(), bound, end, limit));
                    ResultSet rs = ps.executeQuery()) {
                List<Memory> out = new ArrayList<>();
                while (rs.next()) {
                    Memory m = memory(rs, store, Optional.empty());
                    if (withContent) {
                        m = withContent(m, contentOf(m.headVersionId(), rs.getBytes(8)));
                    }
                    out.add(m);
                }
                return out;
            }
        });
    }

    /**
     * As {@link #scanMemories} with content, keeping only memories whose content passes a search's filter, evaluated
     * by the database on the stored UTF-8 bytes so that memories that cannot match are not loaded. Exact text is
     * found byte for byte (UTF-8 makes that the same as finding the characters); ASCII case is folded with
     * {@code lower} on SQLite (which folds ASCII only) and {@code translate} on PostgreSQL (independent of the
     * database's locale).
     */
    public List<Memory> scanMemoriesContaining(StoreId store, String prefix, String from, int limit,
            ContentFilter filter) {
        String end = prefix.equals("/") ? "0" : PathOrder.prefixEnd(prefix);
        boolean after = from.endsWith("\u0000");
        String bound = after ? from.substring(0, from.length() - 1) : from;
        boolean pg = tx.dialect() == Dialect.POSTGRESQL;
        String test;
        if (!filter.asciiIgnoreCase()) {
            test = pg ? "position(? in v.content) > 0" : "instr(v.content, ?) > 0";
        } else if (pg) {
            // convert_from refuses NUL, which PostgreSQL text cannot hold: such content is simply not pre-filtered.
            test = "(CASE WHEN position('\\x00'::bytea in v.content) > 0 THEN TRUE ELSE strpos(translate("
                    + "convert_from(v.content, 'UTF8'), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), ?)"
                    + " > 0 END)";
        } else {
            test = "instr(lower(v.content), ?) > 0";
        }
        String sql = HEADS_WITH_CONTENT + " WHERE m.store_id = ?"
                + (after ? " AND m.path > ?" : " AND m.path >= ?") + " AND m.path < ? AND " + test
                + " ORDER BY m.path LIMIT ?";
        return tx.read("search memories", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, store.value());
                ps.setString(2, bound);
                ps.setString(3, end);
                if (filter.asciiIgnoreCase()) {
                    ps.setString(4, ContentFilter.lowerAscii(filter.text()));
                } else {
                    ps.setBytes(4, filter.text().getBytes(StandardCharsets.UTF_8));
                }
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Memory> out = new ArrayList<>();
                    while (rs.next()) {
                        Memory m = memory(rs, store, Optional.empty());
                        out.add(withContent(m, contentOf(m.headVersionId(), rs.getBytes(8))));
                    }
                    return out;
                }
            }
        });
    }

    public long countMemories(StoreId store) {
        return tx.read("count memories", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT memory_count FROM am_store WHERE id = ?")) {
                ps.setString(1, store.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    // ================================================================ versions

    public Optional<MemoryVersion> findVersion(StoreId store, VersionId id) {
        return tx.read("read version", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_META + ", content FROM am_version"
                    + " WHERE store_id = ? AND id = ?")) {
                ps.setString(1, store.value());
                ps.setString(2, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(version(rs, store, true)) : Optional.empty();
                }
            }
        });
    }

    public List<MemoryVersion> listVersions(
            StoreId store, VersionFilter f, Optional<VersionId> before, int limit, boolean withContent) {
        StringBuilder sql = new StringBuilder("SELECT " + VERSION_META + (withContent ? ", content" : "")
                + " FROM am_version WHERE store_id = ?");
        List<Object> args = new ArrayList<>(List.of(store.value()));
        f.memoryId().ifPresent(m -> {
            sql.append(" AND memory_id = ?");
            args.add(m.value());
        });
        f.actor().ifPresent(a -> {
            sql.append(" AND actor_type = ? AND actor_id = ?");
            args.add(a.type().wireName());
            args.add(a.id());
        });
        f.operation().ifPresent(op -> {
            sql.append(" AND operation = ?");
            args.add(op.wireName());
        });
        newestFirstPage(sql, args, f.createdAtOrAfter(), f.createdAtOrBefore(), before.map(VersionId::value), limit);
        return tx.read("list versions", c -> {
            try (PreparedStatement ps = prepare(c, sql.toString(), args); ResultSet rs = ps.executeQuery()) {
                List<MemoryVersion> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(version(rs, store, withContent));
                }
                return out;
            }
        });
    }

    /** Appends a created-at range, the page's id cursor and the newest-first order and limit of a listing. */
    private static void newestFirstPage(StringBuilder sql, List<Object> args, Optional<Instant> createdAtOrAfter,
            Optional<Instant> createdAtOrBefore, Optional<String> beforeId, int limit) {
        createdAtOrAfter.ifPresent(t -> {
            sql.append(" AND created_at >= ?");
            args.add(micros(t));
        });
        createdAtOrBefore.ifPresent(t -> {
            sql.append(" AND created_at <= ?");
            args.add(micros(t));
        });
        beforeId.ifPresent(id -> {
            sql.append(" AND id < ?");
            args.add(id);
        });
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
    }

    // ================================================================ the commit

    public boolean commit(Commit commit) {
        String store = commit.storeId().value();
        Transactions.Outcome<Boolean> outcome = c -> {
            // A commit whose transaction broke off may have been applied; its first new version tells.
            if (!commit.addVersions().isEmpty()) {
                return exists(c, "SELECT 1 FROM am_version WHERE store_id = ? AND id = ?", store,
                        commit.addVersions().get(0).id().value()) ? Optional.of(true) : Optional.empty();
            }
            return Optional.empty();
        };
        boolean applied;
        try {
            // one statement for the common update on PostgreSQL; if it did not apply (a lost race, or a memory that
            // does not exist yet), the ordinary transaction decides
            applied = tx.dialect() == Dialect.POSTGRESQL && OneStatementUpdate.fits(commit)
                    && tx.statement("commit to store " + store, c -> OneStatementUpdate.apply(c, commit), outcome);
            if (!applied) {
                applied = tx.write("commit to store " + store, c -> applyRecordingErasure(c, commit), outcome);
            }
        } catch (QuarantineGone e) {
            return false; // rolled back: another operator released or discarded the held write first
        }
        if (applied) {
            commit.replaceVersions().forEach(v -> contents.invalidate(v.id()));
            commit.removeVersions().forEach(contents::invalidate);
            if (erases(commit)) {
                heads.invalidateAll(); // no erased content stays in memory either
                afterErase.run();
            }
            // The new heads' contents are in hand: cache them by version id (immutable), so that the next read or
            // write of these memories does not fetch the bytes it just wrote. Reads still check the head first (or, on a
            // SQLite file, that the change counter has not moved).
            for (Memory m : commit.putMemories()) {
                contents.put(m.headVersionId(), m.text());
            }
        }
        return applied;
    }

    /** Applies a commit; one that erases content also records, in its transaction, that the bytes must go. */
    private boolean applyRecordingErasure(Connection c, Commit commit) throws SQLException {
        boolean applied = apply(c, commit);
        if (applied && erases(commit)) {
            PhysicalErasure.recordRequest(c);
        }
        return applied;
    }

    /**
     * Tells whether a commit erases content: replaces versions (redaction), removes them (retention), or releases a
     * held write (whose row goes).
     */
    private static boolean erases(Commit commit) {
        return !commit.replaceVersions().isEmpty() || !commit.removeVersions().isEmpty()
                || commit.releasesQuarantine().isPresent();
    }

    private boolean apply(Connection c, Commit commit) throws SQLException {
        String store = commit.storeId().value();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE am_store SET seq = seq + 1 WHERE id = ? AND seq = ?")) {
            ps.setString(1, store);
            ps.setLong(2, commit.expectedSequence());
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        if (commit.releasesQuarantine().isPresent()
                && PolicyTables.removeQuarantined(c, store, commit.releasesQuarantine().get()) != 1) {
            throw new QuarantineGone();
        }
        if (commit.store().isPresent()) {
            MemoryStore s = commit.store().get();
            try (PreparedStatement ps = c.prepareStatement("UPDATE am_store SET name = ?, description = ?,"
                    + " metadata = ?, content_limit_bytes = ?, memory_limit = ?, updated_at = ?, archived_at = ?"
                    + " WHERE id = ?")) {
                ps.setString(1, s.name());
                ps.setString(2, s.description());
                ps.setString(3, metadataJson(s.metadata()));
                setInt(ps, 4, s.contentLimitBytes());
                setInt(ps, 5, s.memoryLimit());
                ps.setLong(6, micros(s.updatedAt()));
                setMicros(ps, 7, s.archivedAt());
                ps.setString(8, store);
                ps.executeUpdate();
            }
        }
        long delta = 0;
        delta -= deleteMemories(c, store, commit.removeMemories());
        if (commit.putMemories().size() == 1) {
            Memory m = commit.putMemories().get(0);
            if (!updateMemory(c, store, m)) {
                insertMemories(c, store, List.of(m));
                delta++;
            }
        } else if (!commit.putMemories().isEmpty()) {
            // Several memories may trade paths with each other: remove them all, then insert them all.
            delta -= deleteMemories(c, store, commit.putMemories().stream().map(Memory::id).toList());
            insertMemories(c, store, commit.putMemories());
            delta += commit.putMemories().size();
        }
        if (delta != 0) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE am_store SET memory_count = memory_count + ? WHERE id = ?")) {
                ps.setLong(1, delta);
                ps.setString(2, store);
                ps.executeUpdate();
            }
        }
        insertVersions(c, store, commit.addVersions());
        replaceVersions(c, store, commit.replaceVersions());
        if (commit.chain().isPresent()) {
            applyChain(c, store, commit.chain().get());
        }
        if (!commit.removeVersions().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM am_version WHERE store_id = ? AND id = ?")) {
                for (VersionId id : commit.removeVersions()) {
                    ps.setString(1, store);
                    ps.setString(2, id.value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return true;
    }

    /** Stores a commit's chain update: the seals beside their versions, the gap records, the head with the store. */
    private static void applyChain(Connection c, String store, ChainUpdate chain) throws SQLException {
        if (!chain.seals().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE am_version SET chain_pos = ?, chain_hash = ?,"
                    + " chain_leaf = ?, chain_salt = ?, redaction_pos = ?, redaction_hash = ?"
                    + " WHERE store_id = ? AND id = ?")) {
                for (Map.Entry<VersionId, VersionSeal> e : chain.seals().entrySet()) {
                    VersionSeal seal = e.getValue();
                    ps.setLong(1, seal.position());
                    ps.setString(2, seal.hash());
                    ps.setString(3, seal.leaf());
                    setString(ps, 4, seal.salt());
                    if (seal.redactionPosition().isPresent()) {
                        ps.setLong(5, seal.redactionPosition().get());
                    } else {
                        ps.setNull(5, Types.BIGINT);
                    }
                    setString(ps, 6, seal.redactionHash());
                    ps.setString(7, store);
                    ps.setString(8, e.getKey().value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!chain.gaps().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO am_chain_gap (store_id, pos, gap_end,"
                    + " gap_hash, created_at, hash) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (ChainGap g : chain.gaps()) {
                    ps.setString(1, store);
                    ps.setLong(2, g.position());
                    ps.setLong(3, g.gapEnd());
                    ps.setString(4, g.gapHash());
                    ps.setLong(5, micros(g.createdAt()));
                    ps.setString(6, g.hash());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE am_store SET chain_length = ?, chain_head = ? WHERE id = ?")) {
            ps.setLong(1, chain.head().length());
            ps.setString(2, chain.head().hash());
            ps.setString(3, store);
            ps.executeUpdate();
        }
    }

    // ================================================================ the hash chain

    private static final String SEAL_COLS = "chain_pos, chain_hash, chain_leaf, chain_salt, redaction_pos,"
            + " redaction_hash";

    /**
     * Reads the links of a store's chain in a range of positions: versions by their own position and by their
     * redaction's, and gap records, merged by position. Content is decoded from the row itself, never from the
     * cache, so that verification sees exactly what storage holds.
     */
    public List<ChainEntry> listChain(StoreId store, long from, long to) {
        return tx.read("read the hash chain", c -> {
            List<ChainEntry> out = new ArrayList<>();
            for (String col : List.of("chain_pos", "redaction_pos")) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_META + ", content, " + SEAL_COLS
                        + " FROM am_version WHERE store_id = ? AND " + col + " BETWEEN ? AND ?")) {
                    ps.setString(1, store.value());
                    ps.setLong(2, from);
                    ps.setLong(3, to);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            MemoryVersion v = version(rs, store, false);
                            // VERSION_META's 13 columns, then the content, then the seal
                            byte[] bytes = rs.getBytes(14);
                            if (bytes != null) {
                                v = new MemoryVersion(v.id(), v.storeId(), v.memoryId(), v.operation(), v.path(),
                                        Optional.of(decode(bytes)), v.contentSha256(), v.contentSizeBytes(),
                                        v.createdBy(), v.createdAt(), v.redactedAt(), v.redactedBy(),
                                        v.policyRedactions());
                            }
                            VersionSeal seal = seal(rs, 15, v.id());
                            out.add(col.equals("chain_pos") ? ChainEntry.version(v, seal)
                                    : ChainEntry.redaction(v, seal));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pos, gap_end, gap_hash, created_at, hash"
                    + " FROM am_chain_gap WHERE store_id = ? AND pos BETWEEN ? AND ?")) {
                ps.setString(1, store.value());
                ps.setLong(2, from);
                ps.setLong(3, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(ChainEntry.gap(gap(rs, store)));
                    }
                }
            }
            out.sort(java.util.Comparator.comparingLong(ChainEntry::position));
            return out;
        });
    }

    public List<ChainGap> listGaps(StoreId store) {
        return tx.read("read the chain's gap records", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pos, gap_end, gap_hash, created_at, hash"
                    + " FROM am_chain_gap WHERE store_id = ? ORDER BY pos")) {
                ps.setString(1, store.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<ChainGap> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(gap(rs, store));
                    }
                    return out;
                }
            }
        });
    }

    public Optional<VersionSeal> findSeal(StoreId store, VersionId id) {
        return tx.read("read a version's seal", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SEAL_COLS
                    + " FROM am_version WHERE store_id = ? AND id = ? AND chain_pos IS NOT NULL")) {
                ps.setString(1, store.value());
                ps.setString(2, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(seal(rs, 1, id)) : Optional.empty();
                }
            }
        });
    }

    public long countUnchained(StoreId store) {
        return tx.read("count unchained versions", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM am_version WHERE store_id = ? AND chain_pos IS NULL")) {
                ps.setString(1, store.value());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static VersionSeal seal(ResultSet rs, int i, VersionId id) throws SQLException {
        long pos = rs.getLong(i);
        long redaction = rs.getLong(i + 4);
        Optional<Long> redactionPos = rs.wasNull() ? Optional.empty() : Optional.of(redaction);
        try {
            return new VersionSeal(pos, rs.getString(i + 1), rs.getString(i + 2),
                    Optional.ofNullable(rs.getString(i + 3)), redactionPos, Optional.ofNullable(rs.getString(i + 5)));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StorageException("the hash chain seal of version " + id + " in the database is corrupt ("
                    + e.getMessage() + "); the store's history cannot be verified", e);
        }
    }

    private static ChainGap gap(ResultSet rs, StoreId store) throws SQLException {
        try {
            return new ChainGap(rs.getLong(1), rs.getLong(2), rs.getString(3), instant(rs.getLong(4)),
                    rs.getString(5));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StorageException("a gap record of the hash chain of store " + store + " in the database is"
                    + " corrupt (" + e.getMessage() + "); the store's history cannot be verified", e);
        }
    }

    private static ChainHead chainHead(StoreId store, long length, String hash) {
        try {
            return new ChainHead(length, hash);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StorageException("the hash chain head of store " + store + " in the database is corrupt ("
                    + e.getMessage() + ")", e);
        }
    }

    private static long deleteMemories(Connection c, String store, List<MemoryId> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM am_memory WHERE store_id = ? AND id = ?")) {
            for (MemoryId id : ids) {
                ps.setString(1, store);
                ps.setString(2, id.value());
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    private static boolean updateMemory(Connection c, String store, Memory m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE am_memory SET path = ?,"
                + " content_sha256 = ?, content_size = ?, head_version_id = ?, created_at = ?, updated_at = ?"
                + " WHERE store_id = ? AND id = ?")) {
            ps.setString(1, m.path());
            ps.setString(2, m.contentSha256());
            ps.setLong(3, m.contentSizeBytes());
            ps.setString(4, m.headVersionId().value());
            ps.setLong(5, micros(m.createdAt()));
            ps.setLong(6, micros(m.updatedAt()));
            ps.setString(7, store);
            ps.setString(8, m.id().value());
            return ps.executeUpdate() == 1;
        }
    }

    private void insertMemories(Connection c, String store, List<Memory> memories) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO am_memory (store_id, id, path,"
                + " content_sha256, content_size, head_version_id, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Memory m : memories) {
                ps.setString(1, store);
                ps.setString(2, m.id().value());
                ps.setString(3, m.path());
                ps.setString(4, m.contentSha256());
                ps.setLong(5, m.contentSizeBytes());
                ps.setString(6, m.headVersionId().value());
                ps.setLong(7, micros(m.createdAt()));
                ps.setLong(8, micros(m.updatedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void insertVersions(Connection c, String store, List<MemoryVersion> versions) throws SQLException {
        if (versions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO am_version (store_id, " + VERSION_META
                + ", content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (MemoryVersion v : versions) {
                ps.setString(1, store);
                bindVersion(ps, 2, v);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void replaceVersions(Connection c, String store, List<MemoryVersion> versions) throws SQLException {
        if (versions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE am_version SET id = ?, memory_id = ?, operation = ?,"
                + " path = ?, content_sha256 = ?, content_size = ?, actor_type = ?, actor_id = ?, created_at = ?,"
                + " redacted_at = ?, redacted_by_type = ?, redacted_by_id = ?, policy_redactions = ?, content = ?"
                + " WHERE store_id = ? AND id = ?")) {
            for (MemoryVersion v : versions) {
                bindVersion(ps, 1, v);
                ps.setString(15, store);
                ps.setString(16, v.id().value());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Rolls a release's commit back when its held write is gone. */
    private static final class QuarantineGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QuarantineGone() {
            super("the held write is gone", null, false, false);
        }
    }

    // ================================================================ write policies

    public boolean recordPolicyEvent(PolicyEvent e) {
        return tx.write("record policy event " + e.id(), c -> PolicyTables.insertEvent(c, e),
                c -> exists(c, "SELECT 1 FROM am_policy_event WHERE store_id = ? AND id = ?", e.storeId().value(),
                        e.id()) ? Optional.of(true) : Optional.empty());
    }

    public List<PolicyEvent> listPolicyEvents(StoreId store, Optional<String> before, int limit) {
        return tx.read("list policy events", c -> PolicyTables.events(c, store, before, limit));
    }

    public boolean addQuarantined(QuarantinedWrite w) {
        return tx.write("hold write " + w.id(), c -> PolicyTables.insertQuarantined(c, w),
                c -> exists(c, "SELECT 1 FROM am_quarantine WHERE store_id = ? AND id = ?", w.storeId().value(),
                        w.id()) ? Optional.of(true) : Optional.empty());
    }

    public Optional<QuarantinedWrite> findQuarantined(StoreId store, String id) {
        return tx.read("read held write", c -> PolicyTables.quarantined(c, store, Optional.of(id), Optional.empty(), 1))
                .stream().findFirst();
    }

    public List<QuarantinedWrite> listQuarantined(StoreId store, Optional<String> before, int limit) {
        return tx.read("list held writes", c -> PolicyTables.quarantined(c, store, Optional.empty(), before, limit));
    }

    public boolean removeQuarantined(StoreId store, String id) {
        boolean removed = tx.write("discard held write", c -> {
            boolean gone = PolicyTables.removeQuarantined(c, store.value(), id) == 1;
            if (gone) {
                PhysicalErasure.recordRequest(c);
            }
            return gone;
        });
        if (removed) {
            afterErase.run();
        }
        return removed;
    }

    // ================================================================ sessions

    public void createSession(SessionInfo s) {
        String attachments = attachmentsJson(s);
        tx.write("create session " + s.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO am_session (id, workspace_id, created_at, attachments) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, s.id().value());
                ps.setString(2, s.workspaceId().value());
                ps.setLong(3, micros(s.createdAt()));
                ps.setString(4, attachments);
                ps.executeUpdate();
            }
            return true;
        }, c -> exists(c, "SELECT 1 FROM am_session WHERE id = ?", s.id().value()) ? Optional.of(true)
                : Optional.empty());
    }

    public Optional<SessionInfo> findSession(SessionId id) {
        return tx.read("read session " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT workspace_id, created_at, attachments FROM am_session WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new SessionInfo(id, WorkspaceId.of(rs.getString(1)),
                            attachments(rs.getString(3)), instant(rs.getLong(2))));
                }
            }
        });
    }

    public List<SessionInfo> listSessions(WorkspaceId ws, Optional<SessionId> after, int limit) {
        return tx.read("list sessions of " + ws, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, created_at, attachments FROM am_session"
                    + " WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?")) {
                ps.setString(1, ws.value());
                ps.setString(2, after.map(SessionId::value).orElse(""));
                ps.setInt(3, limit);
                List<SessionInfo> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SessionInfo(new SessionId(rs.getString(1)), ws, attachments(rs.getString(3)),
                                instant(rs.getLong(2))));
                    }
                }
                return out;
            }
        });
    }

    public List<WorkspaceId> listWorkspaces() {
        return tx.read("list workspaces", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT workspace_id FROM am_store UNION"
                    + " SELECT workspace_id FROM am_session");
                    ResultSet rs = ps.executeQuery()) {
                java.util.TreeSet<WorkspaceId> out = new java.util.TreeSet<>();
                while (rs.next()) {
                    out.add(WorkspaceId.of(rs.getString(1)));
                }
                return List.copyOf(out);
            }
        });
    }

    // ================================================================ mapping

    private static int bindStore(PreparedStatement ps, int i, MemoryStore s) throws SQLException {
        ps.setString(i++, s.id().value());
        ps.setString(i++, s.workspaceId().value());
        ps.setString(i++, s.name());
        ps.setString(i++, s.description());
        ps.setString(i++, metadataJson(s.metadata()));
        setInt(ps, i++, s.contentLimitBytes());
        setInt(ps, i++, s.memoryLimit());
        ps.setLong(i++, micros(s.createdAt()));
        ps.setLong(i++, micros(s.updatedAt()));
        setMicros(ps, i++, s.archivedAt());
        return i;
    }

    private static MemoryStore store(ResultSet rs) throws SQLException {
        int contentLimit = rs.getInt(6);
        OptionalInt cl = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(contentLimit);
        int memoryLimit = rs.getInt(7);
        OptionalInt ml = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(memoryLimit);
        long archived = rs.getLong(10);
        Optional<Instant> archivedAt = rs.wasNull() ? Optional.empty() : Optional.of(instant(archived));
        return new MemoryStore(StoreId.of(rs.getString(1)), WorkspaceId.of(rs.getString(2)), rs.getString(3),
                rs.getString(4), metadata(rs.getString(5)), cl, ml, instant(rs.getLong(8)), instant(rs.getLong(9)),
                archivedAt);
    }

    private static Memory memory(ResultSet rs, StoreId store, Optional<String> content) throws SQLException {
        return new Memory(MemoryId.of(rs.getString(1)), store, rs.getString(2), content, rs.getString(3),
                rs.getLong(4), VersionId.of(rs.getString(5)), instant(rs.getLong(6)), instant(rs.getLong(7)));
    }

    private static Memory withContent(Memory m, String text) {
        return new Memory(m.id(), m.storeId(), m.path(), Optional.of(text), m.contentSha256(), m.contentSizeBytes(),
                m.headVersionId(), m.createdAt(), m.updatedAt());
    }

    static void bindVersion(PreparedStatement ps, int i, MemoryVersion v) throws SQLException {
        ps.setString(i++, v.id().value());
        ps.setString(i++, v.memoryId().value());
        ps.setString(i++, v.operation().wireName());
        setString(ps, i++, v.path());
        setString(ps, i++, v.contentSha256());
        if (v.contentSizeBytes().isPresent()) {
            ps.setLong(i++, v.contentSizeBytes().get());
        } else {
            ps.setNull(i++, Types.BIGINT);
        }
        ps.setString(i++, v.createdBy().type().wireName());
        ps.setString(i++, v.createdBy().id());
        ps.setLong(i++, micros(v.createdAt()));
        setMicros(ps, i++, v.redactedAt());
        setString(ps, i++, v.redactedBy().map(a -> a.type().wireName()));
        setString(ps, i++, v.redactedBy().map(Actor::id));
        setString(ps, i++, v.policyRedactions().isEmpty() ? Optional.empty()
                : Optional.of(String.join(",", v.policyRedactions())));
        if (v.content().isPresent()) {
            ps.setBytes(i, v.content().get().getBytes(StandardCharsets.UTF_8));
        } else {
            ps.setNull(i, Types.BINARY);
        }
    }

    private MemoryVersion version(ResultSet rs, StoreId store, boolean withContent) throws SQLException {
        VersionId id = VersionId.of(rs.getString(1));
        Optional<String> path = Optional.ofNullable(rs.getString(4));
        Optional<String> sha = Optional.ofNullable(rs.getString(5));
        long size = rs.getLong(6);
        Optional<Long> sizeOpt = rs.wasNull() ? Optional.empty() : Optional.of(size);
        Actor by = Actor.of(stored("actor type", rs.getString(7), Actor.Type::fromWireName), rs.getString(8));
        long redacted = rs.getLong(10);
        Optional<Instant> redactedAt = rs.wasNull() ? Optional.empty() : Optional.of(instant(redacted));
        Optional<Actor> redactedBy = redactedAt.isEmpty() ? Optional.empty()
                : Optional.of(Actor.of(stored("actor type", rs.getString(11), Actor.Type::fromWireName),
                        rs.getString(12)));
        String rules = rs.getString(13);
        List<String> policyRedactions = rules == null || rules.isEmpty() ? List.of() : List.of(rules.split(","));
        Optional<String> content = Optional.empty();
        if (withContent) {
            byte[] bytes = rs.getBytes(14);
            content = bytes == null ? Optional.empty() : Optional.of(contentOf(id, bytes));
        }
        return new MemoryVersion(id, store, MemoryId.of(rs.getString(2)),
                stored("operation", rs.getString(3), Operation::fromWireName),
                path, content, sha, sizeOpt, by, instant(rs.getLong(9)), redactedAt, redactedBy, policyRedactions);
    }

    private String contentOf(VersionId id, byte[] bytes) {
        String cached = contents.getIfPresent(id);
        if (cached != null) {
            return cached;
        }
        String text = decode(bytes);
        contents.put(id, text);
        return text;
    }

    private static String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Jackson, set up only when JSON is first read or written: it costs a noticeable part of a cold open. */
    private static final class Lazy {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private static String metadataJson(Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return "{}";
        }
        ObjectNode node = Lazy.JSON.createObjectNode();
        new java.util.TreeMap<>(metadata).forEach(node::put);
        return node.toString();
    }

    private static Map<String, String> metadata(String json) {
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

    private static String attachmentsJson(SessionInfo s) {
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

    private static List<Attachment> attachments(String json) {
        try {
            List<Attachment> out = new ArrayList<>();
            for (JsonNode n : Lazy.JSON.readTree(json)) {
                out.add(new Attachment(StoreId.of(n.get("memory_store_id").asText()),
                        stored("access", n.path("access").asText(""), Access::fromWireName),
                        n.get("instructions").asText(), n.get("slug").asText(), n.get("mount_path").asText(),
                        n.get("name").asText(), n.get("description").asText()));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new StorageException("a session's attachments in the database are not JSON: " + json, e);
        }
    }

    /**
     * Parses a stored enum value. Only a known value is accepted: anything else (a corrupted row, a value written by a
     * newer version) is refused as a storage failure, so that it can never be read as a more permissive value.
     */
    static <E> E stored(String what, String raw, java.util.function.Function<String, E> parse) {
        try {
            return parse.apply(raw);
        } catch (dev.agentmemory.error.InvalidArgumentException e) {
            throw new StorageException("the database holds an unknown " + what + " '" + raw + "'; it may be corrupt"
                    + " or written by a newer version of agent-memory, so it is refused rather than guessed", e);
        }
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static void setMicros(PreparedStatement ps, int i, Optional<Instant> t) throws SQLException {
        if (t.isPresent()) {
            ps.setLong(i, micros(t.get()));
        } else {
            ps.setNull(i, Types.BIGINT);
        }
    }

    private static void setInt(PreparedStatement ps, int i, OptionalInt v) throws SQLException {
        if (v.isPresent()) {
            ps.setInt(i, v.getAsInt());
        } else {
            ps.setNull(i, Types.INTEGER);
        }
    }

    private static void setString(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            ps.setString(i, v.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof String s) {
                    ps.setString(i + 1, s);
                } else if (a instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else if (a instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    throw new IllegalArgumentException("unexpected argument type " + a);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, List.of(args)); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * Runs a statement outside any transaction, for maintenance.
     *
     * @param sql the statement
     */
    public void execute(String sql) {
        tx.read("maintenance: " + sql, c -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
            return null;
        });
    }
}
