/**
 * The memory server: the hosted memory-store REST API and an MCP endpoint over HTTP, and an MCP server on stdio
 * ({@code dev.agentmemory.server}). Request handling, JSON, keys and metrics ({@code dev.agentmemory.server.internal})
 * are not exported.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // memory-jdbc, the MCP SDK's core
module dev.agentmemory.server {
    requires transitive dev.agentmemory.core;
    requires transitive dev.agentmemory.jdbc; // ServerDatabase names its Dialect and OpenMode
    requires transitive java.sql; // ServerDatabase.postgres takes a DataSource
    requires com.fasterxml.jackson.databind;
    requires com.zaxxer.hikari;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.ee11.servlet;
    // The MCP SDK's aggregate module: its core, its Jackson 3 binding (found through ServiceLoader) and what they need.
    requires io.modelcontextprotocol.sdk.mcp;
    requires org.slf4j;

    exports dev.agentmemory.server;
}
