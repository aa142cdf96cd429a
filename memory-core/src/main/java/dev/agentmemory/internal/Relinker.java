package dev.agentmemory.internal;

import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.ChainRelink;
import dev.agentmemory.spi.ChainUpdate;
import java.util.List;
import java.util.Optional;

/**
 * The service's {@link ChainRelink}: links one commit's versions onto the chain head where the backend applies it,
 * and remembers the last place it was asked for, so that the service learns at which sequence and with which chain
 * head its commit landed (a backend asks once per attempt of its transaction, and sequences only grow, so the last
 * request is the one for the state the commit landed on; a backend that tries the commit again in a way that may land
 * it at its expected sequence after all, as a group's member written again alone, {@linkplain #restart() restarts}
 * it first). Thread-safe.
 */
final class Relinker implements ChainRelink {

    /** Where a relinked commit landed: the store's sequence and chain head after it. */
    record Landing(long sequence, ChainHead chain) {
    }

    private final ChainUpdate sealed;
    private final List<MemoryVersion> added;
    private volatile Landing landing;

    Relinker(ChainUpdate sealed, List<MemoryVersion> added) {
        this.sealed = sealed;
        this.added = added;
    }

    @Override
    public ChainUpdate at(long sequence, ChainHead head) {
        ChainUpdate update = ChainSealer.relink(sealed, added, head);
        landing = new Landing(sequence + 1, update.head());
        return update;
    }

    /** Forgets where an earlier attempt would have landed: the backend tries the commit again from the start. */
    @Override
    public void restart() {
        landing = null;
    }

    /** @return where the commit landed, if a backend linked it again */
    Optional<Landing> landing() {
        return Optional.ofNullable(landing);
    }
}
