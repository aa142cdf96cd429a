package dev.agentmemory.jdbc.internal;

import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.WorkspaceId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Session rows (with their attachments as JSON) and the workspaces that hold stores or sessions. Thread-safe. */
final class Sessions {

    private final Transactions tx;

    Sessions(Transactions tx) {
        this.tx = tx;
    }

    void create(SessionInfo s) {
        String attachments = JsonColumns.attachmentsJson(s);
        tx.write("create session " + s.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO am_session (id, workspace_id, created_at, attachments) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, s.id().value());
                ps.setString(2, s.workspaceId().value());
                ps.setLong(3, RowMapping.micros(s.createdAt()));
                ps.setString(4, attachments);
                ps.executeUpdate();
            }
            return true;
        }, c -> Statements.exists(c, "SELECT 1 FROM am_session WHERE id = ?", s.id().value()) ? Optional.of(true)
                : Optional.empty());
    }

    Optional<SessionInfo> find(SessionId id) {
        return tx.read("read session " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT workspace_id, created_at, attachments FROM am_session WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new SessionInfo(id, WorkspaceId.of(rs.getString(1)),
                            JsonColumns.attachments(rs.getString(3)), RowMapping.instant(rs.getLong(2))));
                }
            }
        });
    }

    List<SessionInfo> list(WorkspaceId ws, Optional<SessionId> after, int limit) {
        return tx.read("list sessions of " + ws, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, created_at, attachments FROM am_session"
                    + " WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?")) {
                ps.setString(1, ws.value());
                ps.setString(2, after.map(SessionId::value).orElse(""));
                ps.setInt(3, limit);
                List<SessionInfo> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SessionInfo(new SessionId(rs.getString(1)), ws,
                                JsonColumns.attachments(rs.getString(3)), RowMapping.instant(rs.getLong(2))));
                    }
                }
                return out;
            }
        });
    }

    List<WorkspaceId> workspaces() {
        return tx.read("list workspaces", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT workspace_id FROM am_store UNION"
                    + " SELECT workspace_id FROM am_session");
                    ResultSet rs = ps.executeQuery()) {
                TreeSet<WorkspaceId> out = new TreeSet<>();
                while (rs.next()) {
                    out.add(WorkspaceId.of(rs.getString(1)));
                }
                return List.copyOf(out);
            }
        });
    }
}
