/**
 * The JDBC backend: durable memory stores on SQLite (the embedded default) or PostgreSQL. Start at
 * {@link dev.agentmemory.jdbc.JdbcBackend}.
 */
package dev.agentmemory.jdbc;
