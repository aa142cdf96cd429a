/**
 * Versioned SQL schema scripts for a component that keeps its own tables in an agent-memory database: a
 * {@link dev.agentmemory.jdbc.schema.ScriptSeries} names the scripts and the history table that records them, and
 * brings a database up to date the same way the library brings its own tables up to date.
 */
package dev.agentmemory.jdbc.schema;
