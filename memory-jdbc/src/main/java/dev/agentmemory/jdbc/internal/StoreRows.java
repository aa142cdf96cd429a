package dev.agentmemory.jdbc.internal;

import static dev.agentmemory.jdbc.internal.RowMapping.STORE_COLS;
import static dev.agentmemory.jdbc.internal.Statements.exists;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.StoreFilter;
import dev.agentmemory.spi.StoreRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A store's own row: creating it, reading it (on a SQLite file from memory while no write has committed since it was
 * read), listing a workspace's stores, and deleting a store with everything it holds. A deletion raises the sequence
 * floor past the store's last sequence, and a creation starts at least there, so a store created again with a
 * deleted one's id never repeats one of its sequences. Thread-safe.
 */
final class StoreRows {

    private final Transactions tx;
    private final ReadCaches caches;
    private final Runnable afterErase;

    /**
     * @param tx the transaction runner
     * @param caches the backend's caches; a deletion clears them
     * @param afterErase run after a deletion: the erasure finisher starts making the bytes leave storage
     */
    StoreRows(Transactions tx, ReadCaches caches, Runnable afterErase) {
        this.tx = tx;
        this.caches = caches;
        this.afterErase = afterErase;
    }

    boolean create(StoreRecord rec) {
        MemoryStore s = rec.store();
        return tx.write("create store " + s.id(), c -> {
            // the floor first (on PostgreSQL locked, as a deletion locks it first): a store deleted before starts
            // this one past its last sequence (see MemoryBackend.createStore)
            long floor = sequenceFloor(c);
            if (exists(c, "SELECT 1 FROM am_store WHERE id = ?", s.id().value())) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO am_store (" + STORE_COLS
                    + ", memory_count, chain_length, chain_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
                int i = RowMapping.bindStore(ps, 1, s);
                ps.setLong(i++, Math.max(rec.sequence(), floor));
                ps.setLong(i++, rec.chain().length());
                ps.setString(i, rec.chain().hash());
                ps.executeUpdate();
            }
            return true;
        }, c -> exists(c, "SELECT 1 FROM am_store WHERE id = ? AND created_at = ?", s.id().value(),
                RowMapping.micros(s.createdAt())) ? Optional.of(true) : Optional.empty());
    }

    /**
     * Reads a store's row. On a SQLite file it is served from memory while the change counter still holds the value it
     * was read under (no write has committed since, in any process using this library), like heads; elsewhere it is
     * always read.
     *
     * @param id the store
     * @return the row, if the store exists
     */
    Optional<StoreRecord> find(StoreId id) {
        return caches.stores().get(id, () -> read(id), r -> id);
    }

    private Optional<StoreRecord> read(StoreId id) {
        return tx.read("read store " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + STORE_COLS
                    + ", chain_length, chain_head FROM am_store WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new StoreRecord(RowMapping.store(rs), rs.getLong(11),
                            RowMapping.chainHead(id, rs.getLong(12), rs.getString(13)))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Reads the least sequence a store may be created at, past the last sequence of every store deleted so far. On
     * PostgreSQL the row stays locked until the transaction ends: a creation takes it first and a deletion raises it
     * last, after it locked and emptied the store, so a creation never reads the floor before a deletion it follows
     * has raised it, and one that read it before still sees the store (and creates nothing). On SQLite the
     * transaction holds the database's write lock already.
     */
    private long sequenceFloor(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT next_sequence FROM am_sequence_floor WHERE id = 1"
                + forUpdate()); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new StorageException("the database has no sequence floor (table am_sequence_floor is empty);"
                        + " it was changed outside the library", null);
            }
            return rs.getLong(1);
        }
    }

    private String forUpdate() {
        return tx.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    }

    List<MemoryStore> list(WorkspaceId ws, StoreFilter f, Optional<StoreId> before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + STORE_COLS + " FROM am_store WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(ws.value()));
        if (!f.includeArchived()) {
            sql.append(" AND archived_at IS NULL");
        }
        appendNameAndMetadata(sql, args, f);
        Statements.newestFirstPage(sql, args, f.createdAtOrAfter(), f.createdAtOrBefore(),
                before.map(StoreId::value), limit);
        return tx.read("list stores", c -> {
            try (PreparedStatement ps = Statements.prepare(c, sql.toString(), args); ResultSet rs = ps.executeQuery()) {
                List<MemoryStore> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(RowMapping.store(rs));
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

    boolean delete(StoreId id) {
        boolean deleted = tx.write("delete store " + id, c -> {
            // the store's last sequence: on PostgreSQL its row locked, so that no commit raises it after this read;
            // the floor's row is taken last (below), so store creations wait only for the deletion's end, not its work
            long last;
            try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM am_store WHERE id = ?" + forUpdate())) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    last = rs.getLong(1);
                }
            }
            for (String table : List.of("am_version", "am_memory", "am_chain_gap", "am_policy_event", "am_quarantine",
                    "am_store")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE "
                        + (table.equals("am_store") ? "id" : "store_id") + " = ?")) {
                    ps.setString(1, id.value());
                    ps.executeUpdate();
                }
            }
            // a creation that took the floor before this still saw the store and created nothing; one that comes
            // after waits for this row lock (PostgreSQL) or the write lock (SQLite) and then starts past `last`
            try (PreparedStatement ps = c.prepareStatement("UPDATE am_sequence_floor SET next_sequence ="
                    + " CASE WHEN next_sequence > ? THEN next_sequence ELSE ? END WHERE id = 1")) {
                ps.setLong(1, last + 1);
                ps.setLong(2, last + 1);
                if (ps.executeUpdate() != 1) {
                    throw new StorageException("the database has no sequence floor (table am_sequence_floor is"
                            + " empty); it was changed outside the library", null);
                }
            }
            PhysicalErasure.recordRequest(c);
            return true;
        });
        if (deleted) {
            caches.forgetContent();
            caches.stores().invalidate(id);
            afterErase.run();
        }
        return deleted;
    }
}
