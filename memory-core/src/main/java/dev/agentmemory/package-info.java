/**
 * agent-memory: durable, versioned, file-shaped memory for AI agents.
 *
 * <p>Start at {@link dev.agentmemory.AgentMemory}: build one over a backend, take a
 * {@link dev.agentmemory.Workspace}, create {@linkplain dev.agentmemory.StoreAdmin stores}, and give each agent run a
 * {@link dev.agentmemory.Session} with its attached stores. Read and write memories through
 * {@link dev.agentmemory.Memories}. Every failure is a {@link dev.agentmemory.MemoryException}, one subclass per kind.
 *
 * <p>Everything here is thread-safe.
 */
package dev.agentmemory;
