/**
 * The server's parts, not an API: request parsing, the endpoint table, JSON writing, error translation, rate limits,
 * metrics, key hashing and the server's own schema migrations.
 */
package dev.agentmemory.server.internal;
