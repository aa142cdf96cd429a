/**
 * The value types of the memory-store model: ids, stores, memories, versions, actors, sessions and attachments, and
 * the query and change specifications the API takes.
 *
 * <p>Every type here is immutable and safe to share between threads. None of them holds or returns {@code null}:
 * absent values are {@link java.util.Optional} (or {@link java.util.OptionalInt}).
 */
package dev.agentmemory.model;
