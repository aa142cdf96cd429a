package dev.agentmemory.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Building and running statements whose conditions vary: parameters bound by type, an existence test, a page. */
final class Statements {

    private Statements() {
    }

    /** Prepares a statement and binds its parameters, each a {@code String}, {@code Long} or {@code Integer}. */
    static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
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

    /** Tells whether a query finds a row. */
    static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, List.of(args)); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** Appends a created-at range, the page's id cursor and the newest-first order and limit of a listing. */
    static void newestFirstPage(StringBuilder sql, List<Object> args, Optional<Instant> createdAtOrAfter,
            Optional<Instant> createdAtOrBefore, Optional<String> beforeId, int limit) {
        createdAtOrAfter.ifPresent(t -> {
            sql.append(" AND created_at >= ?");
            args.add(RowMapping.micros(t));
        });
        createdAtOrBefore.ifPresent(t -> {
            sql.append(" AND created_at <= ?");
            args.add(RowMapping.micros(t));
        });
        beforeId.ifPresent(id -> {
            sql.append(" AND id < ?");
            args.add(id);
        });
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
    }
}
