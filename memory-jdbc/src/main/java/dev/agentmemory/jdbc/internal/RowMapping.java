package dev.agentmemory.jdbc.internal;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.VersionSeal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The mapping between the library's values and the columns of its tables, both ways: which columns a row is read
 * from, in which order, and how a value is bound to a statement. Times are stored as microseconds since the epoch;
 * stored enum values are parsed strictly, so that an unknown value is refused rather than read as a more permissive
 * one. No I/O of its own: it reads the current row of a result set and binds parameters of a statement.
 */
final class RowMapping {

    /** A head's columns, as {@link #memory} reads them. */
    static final String MEMORY_META =
            "id, path, content_sha256, content_size, head_version_id, created_at, updated_at";
    /** A version's columns without its content, as {@link #version} reads them; the content, if read, follows. */
    static final String VERSION_META = "id, memory_id, operation, path, content_sha256, content_size,"
            + " actor_type, actor_id, created_at, redacted_at, redacted_by_type, redacted_by_id, policy_redactions";
    /** A store's columns, as {@link #store} reads them and {@link #bindStore} binds them, then its sequence. */
    static final String STORE_COLS = "id, workspace_id, name, description, metadata, content_limit_bytes,"
            + " memory_limit, created_at, updated_at, archived_at, seq";
    /** A version's seal, as {@link #seal} reads it. */
    static final String SEAL_COLS = "chain_pos, chain_hash, chain_leaf, chain_salt, redaction_pos,"
            + " redaction_hash";
    /** A gap record's columns, as {@link #gap} reads them. */
    static final String GAP_COLS = "pos, gap_end, gap_hash, created_at, hash";

    private RowMapping() {
    }

    static int bindStore(PreparedStatement ps, int i, MemoryStore s) throws SQLException {
        ps.setString(i++, s.id().value());
        ps.setString(i++, s.workspaceId().value());
        ps.setString(i++, s.name());
        ps.setString(i++, s.description());
        ps.setString(i++, JsonColumns.metadataJson(s.metadata()));
        setInt(ps, i++, s.contentLimitBytes());
        setInt(ps, i++, s.memoryLimit());
        ps.setLong(i++, micros(s.createdAt()));
        ps.setLong(i++, micros(s.updatedAt()));
        setMicros(ps, i++, s.archivedAt());
        return i;
    }

    static MemoryStore store(ResultSet rs) throws SQLException {
        int contentLimit = rs.getInt(6);
        OptionalInt cl = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(contentLimit);
        int memoryLimit = rs.getInt(7);
        OptionalInt ml = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(memoryLimit);
        long archived = rs.getLong(10);
        Optional<Instant> archivedAt = rs.wasNull() ? Optional.empty() : Optional.of(instant(archived));
        return new MemoryStore(StoreId.of(rs.getString(1)), WorkspaceId.of(rs.getString(2)), rs.getString(3),
                rs.getString(4), JsonColumns.metadata(rs.getString(5)), cl, ml, instant(rs.getLong(8)),
                instant(rs.getLong(9)), archivedAt);
    }

    /** Reads a head's {@link #MEMORY_META} columns, without content. */
    static Memory memory(ResultSet rs, StoreId store) throws SQLException {
        return new Memory(MemoryId.of(rs.getString(1)), store, rs.getString(2), Optional.empty(), rs.getString(3),
                rs.getLong(4), VersionId.of(rs.getString(5)), instant(rs.getLong(6)), instant(rs.getLong(7)));
    }

    static Memory withContent(Memory m, String text) {
        return new Memory(m.id(), m.storeId(), m.path(), Optional.of(text), m.contentSha256(), m.contentSizeBytes(),
                m.headVersionId(), m.createdAt(), m.updatedAt());
    }

    /** Binds a version's {@link #VERSION_META} columns, then its content, from parameter {@code i} on. */
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

    /** Reads a version's {@link #VERSION_META} columns, without content. */
    static MemoryVersion version(ResultSet rs, StoreId store) throws SQLException {
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
        return new MemoryVersion(id, store, MemoryId.of(rs.getString(2)),
                stored("operation", rs.getString(3), Operation::fromWireName),
                path, Optional.empty(), sha, sizeOpt, by, instant(rs.getLong(9)), redactedAt, redactedBy,
                policyRedactions);
    }

    static MemoryVersion withContent(MemoryVersion v, String text) {
        return new MemoryVersion(v.id(), v.storeId(), v.memoryId(), v.operation(), v.path(), Optional.of(text),
                v.contentSha256(), v.contentSizeBytes(), v.createdBy(), v.createdAt(), v.redactedAt(), v.redactedBy(),
                v.policyRedactions());
    }

    /** Reads the {@link #SEAL_COLS} columns from column {@code i} on. */
    static VersionSeal seal(ResultSet rs, int i, VersionId id) throws SQLException {
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

    /** Reads the {@link #GAP_COLS} columns. */
    static ChainGap gap(ResultSet rs, StoreId store) throws SQLException {
        try {
            return new ChainGap(rs.getLong(1), rs.getLong(2), rs.getString(3), instant(rs.getLong(4)),
                    rs.getString(5));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StorageException("a gap record of the hash chain of store " + store + " in the database is"
                    + " corrupt (" + e.getMessage() + "); the store's history cannot be verified", e);
        }
    }

    static ChainHead chainHead(StoreId store, long length, String hash) {
        try {
            return new ChainHead(length, hash);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StorageException("the hash chain head of store " + store + " in the database is corrupt ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Parses a stored enum value. Only a known value is accepted: anything else (a corrupted row, a value written by a
     * newer version) is refused as a storage failure, so that it can never be read as a more permissive value.
     */
    static <E> E stored(String what, String raw, Function<String, E> parse) {
        try {
            return parse.apply(raw);
        } catch (InvalidArgumentException e) {
            throw new StorageException("the database holds an unknown " + what + " '" + raw + "'; it may be corrupt"
                    + " or written by a newer version of agent-memory, so it is refused rather than guessed", e);
        }
    }

    static String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    static void setMicros(PreparedStatement ps, int i, Optional<Instant> t) throws SQLException {
        if (t.isPresent()) {
            ps.setLong(i, micros(t.get()));
        } else {
            ps.setNull(i, Types.BIGINT);
        }
    }

    static void setInt(PreparedStatement ps, int i, OptionalInt v) throws SQLException {
        if (v.isPresent()) {
            ps.setInt(i, v.getAsInt());
        } else {
            ps.setNull(i, Types.INTEGER);
        }
    }

    static void setString(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            ps.setString(i, v.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }
}
