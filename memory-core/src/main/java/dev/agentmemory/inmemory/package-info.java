/**
 * The in-memory backend: the reference implementation of the persistence SPI, for tests and demos.
 * {@link dev.agentmemory.inmemory.InMemoryBackend} is thread-safe and linearizable per store.
 */
package dev.agentmemory.inmemory;
