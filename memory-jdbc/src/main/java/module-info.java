/**
 * agent-memory's JDBC backend: durable stores on SQLite (the embedded default) and PostgreSQL.
 * {@code dev.agentmemory.jdbc} is the API ({@code JdbcBackend} with its factories and builder, the dialect and open
 * modes); {@code dev.agentmemory.jdbc.schema} describes a series of schema scripts for a host's own tables. The
 * implementation ({@code dev.agentmemory.jdbc.internal}) is not exported.
 *
 * <p>The database drivers and HikariCP are optional: a user adds the driver of the database they use, and HikariCP
 * when the library opens the pool ({@code JdbcBackend.sqlite}, {@code JdbcBackend.postgres}). On the module path a
 * driver is resolved as a {@code java.sql.Driver} service; HikariCP needs to be required by the application or added
 * with {@code --add-modules com.zaxxer.hikari}.
 */
module dev.agentmemory.jdbc {
    requires transitive dev.agentmemory.core;
    requires transitive java.sql;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires static com.zaxxer.hikari;
    requires static org.xerial.sqlitejdbc;
    requires static org.postgresql.jdbc;

    exports dev.agentmemory.jdbc;
    exports dev.agentmemory.jdbc.schema;
}
