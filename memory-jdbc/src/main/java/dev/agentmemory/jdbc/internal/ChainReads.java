package dev.agentmemory.jdbc.internal;

import static dev.agentmemory.jdbc.internal.RowMapping.GAP_COLS;
import static dev.agentmemory.jdbc.internal.RowMapping.SEAL_COLS;
import static dev.agentmemory.jdbc.internal.RowMapping.VERSION_META;

import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.spi.ChainEntry;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.VersionSeal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads of a store's hash chain: links in a range of positions, gap records, one version's seal, the count of
 * unchained versions. Content is decoded from the row itself, never from the cache, so that verification sees
 * exactly what storage holds. Thread-safe.
 */
final class ChainReads {

    private final Transactions tx;

    ChainReads(Transactions tx) {
        this.tx = tx;
    }

    /**
     * Reads the links of a store's chain in a range of positions: versions by their own position and by their
     * redaction's, and gap records, merged by position.
     */
    List<ChainEntry> list(StoreId store, long from, long to) {
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
                            MemoryVersion v = RowMapping.version(rs, store);
                            // VERSION_META's 13 columns, then the content, then the seal
                            byte[] bytes = rs.getBytes(14);
                            if (bytes != null) {
                                v = RowMapping.withContent(v, RowMapping.decode(bytes));
                            }
                            VersionSeal seal = RowMapping.seal(rs, 15, v.id());
                            out.add(col.equals("chain_pos") ? ChainEntry.version(v, seal)
                                    : ChainEntry.redaction(v, seal));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + GAP_COLS
                    + " FROM am_chain_gap WHERE store_id = ? AND pos BETWEEN ? AND ?")) {
                ps.setString(1, store.value());
                ps.setLong(2, from);
                ps.setLong(3, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(ChainEntry.gap(RowMapping.gap(rs, store)));
                    }
                }
            }
            out.sort(Comparator.comparingLong(ChainEntry::position));
            return out;
        });
    }

    List<ChainGap> gaps(StoreId store) {
        return tx.read("read the chain's gap records", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + GAP_COLS
                    + " FROM am_chain_gap WHERE store_id = ? ORDER BY pos")) {
                ps.setString(1, store.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<ChainGap> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(RowMapping.gap(rs, store));
                    }
                    return out;
                }
            }
        });
    }

    Optional<VersionSeal> seal(StoreId store, VersionId id) {
        return tx.read("read a version's seal", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SEAL_COLS
                    + " FROM am_version WHERE store_id = ? AND id = ? AND chain_pos IS NOT NULL")) {
                ps.setString(1, store.value());
                ps.setString(2, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(RowMapping.seal(rs, 1, id)) : Optional.empty();
                }
            }
        });
    }

    long countUnchained(StoreId store) {
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
}
