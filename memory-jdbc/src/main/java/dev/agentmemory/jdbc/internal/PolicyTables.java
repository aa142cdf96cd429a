package dev.agentmemory.jdbc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.PolicyEvent;
import dev.agentmemory.model.QuarantinedWrite;
import dev.agentmemory.model.StoreId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements of the write-policy tables: {@code am_policy_event} (refused and held writes, without content) and
 * {@code am_quarantine} (held writes, their changes as JSON). Each method runs inside a transaction its caller owns.
 */
final class PolicyTables {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_COLS = "id, path, actor_type, actor_id, outcome, policy, rule, created_at";
    private static final String QUARANTINE_COLS = "id, actor_type, actor_id, created_at, policy, rule, reason, changes";

    private PolicyTables() {
    }

    static boolean insertEvent(Connection c, PolicyEvent e, Dialect dialect) throws SQLException {
        if (!storeExists(c, e.storeId(), dialect)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO am_policy_event (store_id, " + EVENT_COLS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e.storeId().value());
            ps.setString(2, e.id());
            ps.setString(3, e.path());
            ps.setString(4, e.actor().type().wireName());
            ps.setString(5, e.actor().id());
            ps.setString(6, e.outcome().wireName());
            ps.setString(7, e.policy());
            ps.setString(8, e.rule());
            ps.setLong(9, RowMapping.micros(e.createdAt()));
            ps.executeUpdate();
        }
        return true;
    }

    static List<PolicyEvent> events(Connection c, StoreId store, Optional<String> before, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLS + " FROM am_policy_event"
                + " WHERE store_id = ? AND id < ? ORDER BY id DESC LIMIT ?")) {
            ps.setString(1, store.value());
            ps.setString(2, before.orElse("\uffff"));
            ps.setInt(3, limit);
            List<PolicyEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PolicyEvent(rs.getString(1), store, rs.getString(2), actor(rs, 3),
                            stored("policy event outcome", rs.getString(5)), rs.getString(6), rs.getString(7),
                            RowMapping.instant(rs.getLong(8))));
                }
            }
            return out;
        }
    }

    static boolean insertQuarantined(Connection c, QuarantinedWrite w, Dialect dialect) throws SQLException {
        if (!storeExists(c, w.storeId(), dialect)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO am_quarantine (store_id, " + QUARANTINE_COLS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, w.storeId().value());
            ps.setString(2, w.id());
            ps.setString(3, w.actor().type().wireName());
            ps.setString(4, w.actor().id());
            ps.setLong(5, RowMapping.micros(w.createdAt()));
            ps.setString(6, w.policy());
            ps.setString(7, w.rule());
            ps.setString(8, w.reason());
            ps.setBytes(9, changesJson(w.changes()));
            ps.executeUpdate();
        }
        return true;
    }

    /** Reads one held write by id, or a newest-first page of them. */
    static List<QuarantinedWrite> quarantined(Connection c, StoreId store, Optional<String> id,
            Optional<String> before, int limit) throws SQLException {
        String where = id.isPresent() ? "id = ?" : "id < ?";
        try (PreparedStatement ps = c.prepareStatement("SELECT " + QUARANTINE_COLS + " FROM am_quarantine"
                + " WHERE store_id = ? AND " + where + " ORDER BY id DESC LIMIT ?")) {
            ps.setString(1, store.value());
            ps.setString(2, id.orElse(before.orElse("\uffff")));
            ps.setInt(3, limit);
            List<QuarantinedWrite> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new QuarantinedWrite(rs.getString(1), store, actor(rs, 2),
                            RowMapping.instant(rs.getLong(4)), rs.getString(5), rs.getString(6), rs.getString(7),
                            changes(rs.getBytes(8))));
                }
            }
            return out;
        }
    }

    static int removeQuarantined(Connection c, String store, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM am_quarantine WHERE store_id = ? AND id = ?")) {
            ps.setString(1, store);
            ps.setString(2, id);
            return ps.executeUpdate();
        }
    }

    /**
     * Whether the store exists, and on PostgreSQL its row share-locked until the transaction ends: a store deletion
     * locks that row first, so a record inserted here either commits before the deletion starts (which then erases
     * it) or waits for the deletion and finds no store, and none outlives the store it belongs to. (A share lock on
     * the key does not wait for the commits that update the store row.) On SQLite the transaction holds the
     * database's write lock already.
     */
    private static boolean storeExists(Connection c, StoreId store, Dialect dialect) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM am_store WHERE id = ?"
                + (dialect == Dialect.POSTGRESQL ? " FOR KEY SHARE" : ""))) {
            ps.setString(1, store.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Actor actor(ResultSet rs, int i) throws SQLException {
        return Actor.of(RowMapping.stored("actor type", rs.getString(i), Actor.Type::fromWireName), rs.getString(i + 1));
    }

    private static PolicyEvent.Outcome stored(String what, String raw) {
        try {
            return PolicyEvent.Outcome.fromWireName(raw);
        } catch (IllegalArgumentException e) {
            throw new StorageException("the database holds an unknown " + what + " '" + raw + "'; it may be corrupt"
                    + " or written by a newer version of agent-memory, so it is refused rather than guessed", e);
        }
    }

    // ---------------------------------------------------------------- the held changes as JSON

    static byte[] changesJson(List<QuarantinedWrite.HeldChange> changes) {
        ArrayNode arr = JSON.createArrayNode();
        for (QuarantinedWrite.HeldChange h : changes) {
            ObjectNode n = arr.addObject();
            Change ch = h.change();
            if (ch instanceof Change.Create c) {
                n.put("op", "create").put("path", c.path()).put("content", c.content());
            } else if (ch instanceof Change.Update u) {
                n.put("op", "update").put("memory_id", u.memoryId().value());
                u.update().path().ifPresent(p -> n.put("path", p));
                u.update().content().ifPresent(t -> n.put("content", t));
                u.update().expectedContentSha256().ifPresent(s -> n.put("expected_sha256", s));
            } else if (ch instanceof Change.Delete d) {
                n.put("op", "delete").put("memory_id", d.memoryId().value());
                d.expectedContentSha256().ifPresent(s -> n.put("expected_sha256", s));
            }
            ArrayNode rules = n.putArray("policy_redactions");
            h.policyRedactions().forEach(rules::add);
        }
        return arr.toString().getBytes(StandardCharsets.UTF_8);
    }

    static List<QuarantinedWrite.HeldChange> changes(byte[] json) {
        try {
            JsonNode arr = JSON.readTree(json);
            List<QuarantinedWrite.HeldChange> out = new ArrayList<>();
            for (JsonNode n : arr) {
                Change ch = switch (text(n, "op").orElse("")) {
                    case "create" -> new Change.Create(text(n, "path").orElseThrow(), text(n, "content").orElseThrow());
                    case "update" -> new Change.Update(MemoryId.of(text(n, "memory_id").orElseThrow()),
                            new MemoryUpdate(text(n, "content"), text(n, "path"), text(n, "expected_sha256")));
                    case "delete" -> new Change.Delete(MemoryId.of(text(n, "memory_id").orElseThrow()),
                            text(n, "expected_sha256"));
                    default -> throw new IllegalArgumentException("unknown change " + n.get("op"));
                };
                List<String> rules = new ArrayList<>();
                n.path("policy_redactions").forEach(r -> rules.add(r.asText()));
                out.add(new QuarantinedWrite.HeldChange(ch, rules));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new StorageException("the database holds a held write whose changes cannot be read; it may be"
                    + " corrupt, so it is refused rather than guessed", e);
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
