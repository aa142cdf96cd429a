/**
 * The memory server: the hosted memory-store REST API, self-hosted. {@link dev.agentmemory.server.ServerDatabase}
 * opens the database (SQLite or PostgreSQL), {@link dev.agentmemory.server.MemoryServer} serves it over HTTP, and
 * {@link dev.agentmemory.server.ApiKeys} manages the API keys that reach one workspace each.
 */
package dev.agentmemory.server;
