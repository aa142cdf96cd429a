package dev.agentmemory.jdbc.internal;

import static dev.agentmemory.jdbc.internal.RowMapping.VERSION_META;

import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.spi.VersionFilter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads of a store's versions: one by id, or a filtered page newest first. Content comes through the cache. */
final class VersionReads {

    private final Transactions tx;
    private final ContentCache contents;

    VersionReads(Transactions tx, ContentCache contents) {
        this.tx = tx;
        this.contents = contents;
    }

    Optional<MemoryVersion> find(StoreId store, VersionId id) {
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

    List<MemoryVersion> list(StoreId store, VersionFilter f, Optional<VersionId> before, int limit,
            boolean withContent) {
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
        Statements.newestFirstPage(sql, args, f.createdAtOrAfter(), f.createdAtOrBefore(),
                before.map(VersionId::value), limit);
        return tx.read("list versions", c -> {
            try (PreparedStatement ps = Statements.prepare(c, sql.toString(), args); ResultSet rs = ps.executeQuery()) {
                List<MemoryVersion> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(version(rs, store, withContent));
                }
                return out;
            }
        });
    }

    /** A version's row, with its content (column 14, through the cache) if {@code withContent} and it has any. */
    private MemoryVersion version(ResultSet rs, StoreId store, boolean withContent) throws SQLException {
        MemoryVersion v = RowMapping.version(rs, store);
        if (withContent) {
            byte[] bytes = rs.getBytes(14);
            if (bytes != null) {
                return RowMapping.withContent(v, contents.decode(v.id(), bytes));
            }
        }
        return v;
    }
}
