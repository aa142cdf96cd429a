package dev.agentmemory.internal;

import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.ChainUpdate;
import java.time.Instant;
import java.util.List;

/**
 * Benchmarks only: calls the library's own chain sealer, which is internal to memory-core, on one new version (the
 * benchmark jar runs on the class path, where this package is shared with the library's). Nothing else uses it.
 */
public final class SealProbe {

    private SealProbe() {
    }

    /**
     * Seals one new version after a head, as a commit that adds it does: a fresh salt, the leaf over the salted path
     * and content, the link over the previous hash, the metadata and the leaf.
     *
     * @param v the version, with its content
     * @param head the chain head it extends
     * @param now the commit's time
     * @return the chain update
     */
    public static ChainUpdate seal(MemoryVersion v, ChainHead head, Instant now) {
        // no version is replaced or removed, so the sealer never reads the backend
        return ChainSealer.seal(null, v.storeId(), head, List.of(v), List.of(), List.of(), now).orElseThrow();
    }
}
