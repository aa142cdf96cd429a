/**
 * The exceptions of agent-memory: {@link dev.agentmemory.error.MemoryException}, the one unchecked root, and one
 * subclass per kind of failure ({@link dev.agentmemory.error.MemoryException.Kind}). Every message says what failed
 * and what to do about it. A failed call changed nothing.
 *
 * <p>This package depends on nothing else of the library, so every other package may throw its exceptions. The three
 * kinds that name ids ({@code PathConflictException}, {@code PreconditionFailedException}, {@code ArchivedException})
 * live beside those ids in {@code dev.agentmemory.model}; they extend {@link dev.agentmemory.error.ConflictException}
 * and {@link dev.agentmemory.error.ReadOnlyException}, so a handler of either catches them too.
 */
package dev.agentmemory.error;
