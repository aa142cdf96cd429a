/**
 * The JDBC backend's implementation: SQL, transactions with bounded retries, schema migration. Not API.
 */
package dev.agentmemory.jdbc.internal;
