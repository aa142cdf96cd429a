package dev.agentmemory.jdbc.internal;

import static dev.agentmemory.jdbc.internal.RowMapping.MEMORY_META;

import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.spi.ContentFilter;
import dev.agentmemory.spi.PathOrder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of heads: one memory by id or path, a range of paths with or without content, a content search, the count.
 * A head's content lives in its version's row (schema version 2): the head names the version. Content is served from
 * the {@link ContentCache} for the version a fresh row names; on a SQLite file whole heads (and the absence of a
 * head at a path), the memory count and short scans without content (probes: is anything under this path?) are
 * served from memory while no write has committed since they were read ({@link StampedCache}). Thread-safe.
 */
final class MemoryReads {

    /** A head joined to the version row that holds its content. */
    private static final String HEADS_JOIN_VERSIONS = " FROM am_memory m JOIN am_version v"
            + " ON v.store_id = m.store_id AND v.id = m.head_version_id";
    private static final String HEAD_CONTENT = "SELECT v.content" + HEADS_JOIN_VERSIONS;
    /** A head's columns as {@link RowMapping#MEMORY_META} lists them, then its content from its version's row. */
    private static final String HEADS_WITH_CONTENT = "SELECT m.id, m.path, m.content_sha256, m.content_size,"
            + " m.head_version_id, m.created_at, m.updated_at, v.content" + HEADS_JOIN_VERSIONS;

    private static final String META_BY_ID = "SELECT " + MEMORY_META + " FROM am_memory WHERE store_id = ? AND id = ?";
    private static final String META_BY_PATH = "SELECT " + MEMORY_META
            + " FROM am_memory WHERE store_id = ? AND path = ?";
    /** A head's content, if the memory's head is still the version read a statement before. */
    private static final String GUARDED_CONTENT = HEAD_CONTENT
            + " WHERE m.store_id = ? AND m.id = ? AND m.head_version_id = ?";

    private final Transactions tx;
    private final ReadCaches caches;

    MemoryReads(Transactions tx, ReadCaches caches) {
        this.tx = tx;
        this.caches = caches;
    }

    Optional<Memory> find(StoreId store, MemoryId id) {
        return findWhere(store, false, id.value());
    }

    Optional<Memory> findByPath(StoreId store, String path) {
        return findWhere(store, true, path);
    }

    private Optional<Memory> findWhere(StoreId store, boolean byPath, String arg) {
        return caches.heads().get(new ReadCaches.HeadKey(store, byPath, arg), () -> read(store, byPath, arg),
                m -> byPath ? new ReadCaches.HeadKey(store, false, m.id().value())
                        : new ReadCaches.HeadKey(store, true, m.path()));
    }

    private Optional<Memory> read(StoreId store, boolean byPath, String arg) {
        return tx.read("read memory", c -> {
            while (true) {
                Memory meta;
                // kept per connection on SQLite (a write that does not find the head in the service's snapshot
                // reads it here first, so this is on the write path too)
                try (StatementCache.Lease lease = tx.statements().lease(c, byPath ? META_BY_PATH : META_BY_ID)) {
                    PreparedStatement ps = lease.statement();
                    ps.setString(1, store.value());
                    ps.setString(2, arg);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        meta = RowMapping.memory(rs, store);
                    }
                }
                Optional<String> cached = caches.contents().get(meta.headVersionId());
                if (cached.isPresent()) {
                    return Optional.of(RowMapping.withContent(meta, cached.get()));
                }
                // The head may move between the two statements: then the guarded read finds nothing; start over.
                try (StatementCache.Lease lease = tx.statements().lease(c, GUARDED_CONTENT)) {
                    PreparedStatement ps = lease.statement();
                    ps.setString(1, store.value());
                    ps.setString(2, meta.id().value());
                    ps.setString(3, meta.headVersionId().value());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            String text = RowMapping.decode(rs.getBytes(1));
                            caches.contents().put(meta.headVersionId(), text);
                            return Optional.of(RowMapping.withContent(meta, text));
                        }
                    }
                }
            }
        });
    }

    List<Memory> scan(StoreId store, String prefix, String from, int limit, boolean withContent) {
        if (withContent) {
            return scanRows(store, prefix, from, limit, true);
        }
        // A scan that found at most a few heads (most often none: "is anything under this path?") is kept as a probe;
        // a longer one is read again each time.
        return caches.probes().get(new ReadCaches.ProbeKey(store, prefix, from, limit),
                () -> scanRows(store, prefix, from, limit, false), found -> found.size() <= ReadCaches.PROBE_ROWS);
    }

    private List<Memory> scanRows(StoreId store, String prefix, String from, int limit, boolean withContent) {
        Range range = Range.of(prefix, from);
        String sql = withContent
                ? HEADS_WITH_CONTENT + " WHERE m.store_id = ?"
                        + (range.after() ? " AND m.path > ?" : " AND m.path >= ?")
                        + " AND m.path < ? ORDER BY m.path LIMIT ?"
                : "SELECT " + MEMORY_META + " FROM am_memory WHERE store_id = ?"
                        + (range.after() ? " AND path > ?" : " AND path >= ?") + " AND path < ? ORDER BY path LIMIT ?";
        return tx.read("list memories", c -> {
            try (PreparedStatement ps = Statements.prepare(c, sql, List.of(store.value(), range.bound(), range.end(),
                    limit)); ResultSet rs = ps.executeQuery()) {
                return heads(rs, store, withContent);
            }
        });
    }

    /**
     * As {@link #scan} with content, keeping only memories whose content passes a search's filter, evaluated by the
     * database on the stored UTF-8 bytes so that memories that cannot match are not loaded. Exact text is found byte
     * for byte (UTF-8 makes that the same as finding the characters); ASCII case is folded with {@code lower} on
     * SQLite (which folds ASCII only) and {@code translate} on PostgreSQL (independent of the database's locale).
     */
    List<Memory> scanContaining(StoreId store, String prefix, String from, int limit, ContentFilter filter) {
        Range range = Range.of(prefix, from);
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
                + (range.after() ? " AND m.path > ?" : " AND m.path >= ?") + " AND m.path < ? AND " + test
                + " ORDER BY m.path LIMIT ?";
        return tx.read("search memories", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, store.value());
                ps.setString(2, range.bound());
                ps.setString(3, range.end());
                if (filter.asciiIgnoreCase()) {
                    ps.setString(4, ContentFilter.lowerAscii(filter.text()));
                } else {
                    ps.setBytes(4, filter.text().getBytes(StandardCharsets.UTF_8));
                }
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    return heads(rs, store, true);
                }
            }
        });
    }

    /** Reads every row of a result of heads, each with its content from column 8 if {@code withContent}. */
    private List<Memory> heads(ResultSet rs, StoreId store, boolean withContent) throws java.sql.SQLException {
        List<Memory> out = new ArrayList<>();
        while (rs.next()) {
            Memory m = RowMapping.memory(rs, store);
            if (withContent) {
                m = RowMapping.withContent(m, caches.contents().decode(m.headVersionId(), rs.getBytes(8)));
            }
            out.add(m);
        }
        return out;
    }

    /**
     * The paths a scan covers: from {@code bound} ({@code after} tells whether exclusive) up to {@code end}, exclusive.
     * The service asks for "after p" as p + U+0000; PostgreSQL text cannot hold NUL, so that becomes "{@code > p}".
     */
    private record Range(String bound, boolean after, String end) {
        static Range of(String prefix, String from) {
            boolean after = from.endsWith("\u0000");
            return new Range(after ? from.substring(0, from.length() - 1) : from, after,
                    prefix.equals("/") ? "0" : PathOrder.prefixEnd(prefix));
        }
    }

    long count(StoreId store) {
        return caches.counts().get(store, () -> countRow(store), n -> true);
    }

    private long countRow(StoreId store) {
        return tx.read("count memories", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT memory_count FROM am_store WHERE id = ?")) {
                ps.setString(1, store.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }
}
