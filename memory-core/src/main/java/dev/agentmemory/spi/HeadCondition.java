package dev.agentmemory.spi;

import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.VersionId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Lets a commit apply although its store's sequence moved since the commit read it, as long as nothing the commit
 * depends on moved: a per-memory compare-and-set. The service attaches one to a write whose every rule depends only on
 * the heads of the memories it names and on the store's own record (an update of a memory's content at its path, for
 * example); writes whose rules depend on other memories (creates, path changes, moves, deletes of directories,
 * batches, imports, store changes, redactions, retention) never carry one and keep the plain compare-and-set of the
 * store's sequence.
 *
 * <p>A backend applies a commit that carries a condition, in one transaction and under the store's write lock:
 *
 * <ol>
 *   <li>if the store's sequence equals {@link Commit#expectedSequence()}, exactly as any other commit;
 *   <li>otherwise, if the store's record {@link MemoryStore#equals equals} {@link #expectedStore()} and every memory
 *       named in {@link #expectedHeads()} exists in the store with that head version ({@link #holds}), it applies the
 *       commit as if its expected sequence were the store's actual sequence {@code s}, storing the chain update
 *       {@link #relink()}{@code .at(s, current chain head)} instead of {@link Commit#chain()}, and raises the store's
 *       sequence to {@code s + 1};
 *   <li>otherwise it changes nothing and returns {@code false}, and the service reads again and retries.
 * </ol>
 *
 * <p>So a commit still lands at exactly one place in its store's single order of commits, and the store's sequence and
 * hash chain still grow by one commit at a time under the store's lock: a contended writer waits for that lock
 * instead of failing. {@link Commit#chainAt} does the choice between the commit's own chain update and the relinked
 * one for a backend.
 *
 * @param expectedStore the store's record as the commit read it
 * @param expectedHeads every memory whose head the commit depends on, with the head version it read; it names at least
 *     every memory the commit puts
 * @param relink how the commit's versions are linked onto the chain at another place
 */
public record HeadCondition(MemoryStore expectedStore, Map<MemoryId, VersionId> expectedHeads, ChainRelink relink) {

    /** Checks the fields and copies the map. */
    public HeadCondition {
        Objects.requireNonNull(expectedStore, "expectedStore");
        Objects.requireNonNull(relink, "relink");
        expectedHeads = Map.copyOf(expectedHeads);
        if (expectedHeads.isEmpty()) {
            throw new IllegalArgumentException("a head condition names at least one memory");
        }
    }

    /**
     * Tells whether the condition holds in a store state: the store's record is the expected one and every named
     * memory exists with its expected head.
     *
     * @param store the store's record now
     * @param headOf the current head version of a memory of the store, or empty if the store holds no such memory
     * @return true if a commit carrying this condition may apply now
     */
    public boolean holds(MemoryStore store, Function<MemoryId, Optional<VersionId>> headOf) {
        if (!expectedStore.equals(store)) {
            return false;
        }
        for (Map.Entry<MemoryId, VersionId> e : expectedHeads.entrySet()) {
            if (!headOf.apply(e.getKey()).filter(e.getValue()::equals).isPresent()) {
                return false;
            }
        }
        return true;
    }
}
