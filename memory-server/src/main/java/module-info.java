/**
 * The memory server: the hosted memory-store REST API over the library, with API keys, rate limits, metrics and
 * graceful shutdown, on SQLite or PostgreSQL.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // memory-core and memory-jdbc are automatic modules
module dev.agentmemory.server {
    requires transitive dev.agentmemory.core;
    requires dev.agentmemory.jdbc;
    requires java.sql;
    requires com.zaxxer.hikari;
    requires com.fasterxml.jackson.databind;
    requires org.eclipse.jetty.server;
    requires org.slf4j;

    exports dev.agentmemory.server;
}
