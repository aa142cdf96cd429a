/**
 * The persistence SPI: what a backend implements so that the service can keep stores in it.
 *
 * <p>Start with {@link dev.agentmemory.spi.MemoryBackend}. Its one write primitive, a
 * {@link dev.agentmemory.spi.Commit}, is a compare-and-set of a store's sequence number together with the
 * changes of one operation; the service checks every rule, so a backend only stores and applies atomically. Run the
 * contract suite of {@code memory-testkit} against any new backend.
 */
package dev.agentmemory.spi;
