/**
 * The value types of the memory-store model: ids, stores, memories, versions, actors, sessions and attachments, the
 * query and change specifications the API takes, the {@link dev.agentmemory.model.Limits} in force, the listeners
 * told about progress and writes, and the three exceptions that name ids
 * ({@link dev.agentmemory.model.PathConflictException}, {@link dev.agentmemory.model.PreconditionFailedException},
 * {@link dev.agentmemory.model.ArchivedException}; every other exception is in {@code dev.agentmemory.error}).
 *
 * <p>Every type here is immutable and safe to share between threads. None of them holds or returns {@code null}:
 * absent values are {@link java.util.Optional} (or {@link java.util.OptionalInt}). This package depends on
 * {@code dev.agentmemory.error} only.
 */
package dev.agentmemory.model;
