/**
 * agent-memory: durable, versioned, file-shaped memory for AI agents.
 *
 * <p>Start at {@link dev.agentmemory.AgentMemory}: build one over a backend, take a
 * {@link dev.agentmemory.Workspace}, create {@linkplain dev.agentmemory.StoreAdmin stores}, and give each agent run a
 * {@link dev.agentmemory.Session} with its attached stores. Read and write memories through
 * {@link dev.agentmemory.Memories}. Every failure is a {@link dev.agentmemory.error.MemoryException}, one subclass
 * per kind.
 *
 * <p>The interfaces here are implemented by package-private classes that hand each call to the service's engine in
 * {@code dev.agentmemory.internal}, which knows nothing of this package.
 *
 * <p>Everything here is thread-safe.
 */
package dev.agentmemory;
