/**
 * The persistence SPI: what a backend implements so that the service can keep stores in it.
 *
 * <p>Start with {@link dev.agentmemory.spi.MemoryBackend}. Its one write primitive, a
 * {@link dev.agentmemory.spi.Commit}, is a compare-and-set of a store's sequence number together with the
 * changes of one operation; the service checks every rule, so a backend only stores and applies atomically. The
 * store's hash chain is the same: the service computes each commit's {@link dev.agentmemory.spi.ChainUpdate} (seals
 * beside versions, purge gap records, the new {@link dev.agentmemory.spi.ChainHead} kept with the store) and the
 * backend stores it with the commit and reads it back ({@code listChain}, {@code listGaps}, {@code findSeal}). Run the
 * contract suite of {@code memory-testkit} against any new backend.
 */
package dev.agentmemory.spi;
