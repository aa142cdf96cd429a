/**
 * The implementation of the service: not part of the API, may change in any release. It imports nothing from the
 * API package {@code dev.agentmemory}: the engines ({@code WorkspaceEngine}, {@code StoreAdminEngine},
 * {@code SessionsEngine}, {@code SessionEngine}, {@code MemoriesEngine}) do what the API's interfaces promise, and the
 * API package wraps them.
 *
 * <p>{@link dev.agentmemory.internal.MemoryService} runs every write as an optimistic transaction: a
 * {@link dev.agentmemory.internal.WriteTx} reads a snapshot of the store (its sequence first), checks every rule and
 * stages the changes, and the backend commits them only if the sequence has not moved. Rules of paths, content,
 * stores and cursors live in {@code PathRules}, {@code Contents}, {@code StoreRules} and {@code Cursors}.
 */
package dev.agentmemory.internal;
