package dev.agentmemory.internal;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.ChainHead;
import dev.agentmemory.spi.ChainUpdate;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.spi.VersionSeal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Extends a store's hash chain with one commit's changes, from the head the commit's snapshot read (the commit's
 * compare-and-set of the sequence guarantees that head is still current when it applies, so links are appended in
 * commit order; a head-conditioned commit that applies at a later sequence is linked again onto the head there, by
 * {@link #relink}). New versions are linked in the order the commit adds them, then redactions, then one gap record per
 * run of links that removed versions leave behind. Deciding only: it reads seals, and returns what to store.
 */
final class ChainSealer {

    private ChainSealer() {
    }

    /**
     * Computes the chain update of a commit.
     *
     * @param backend where the seals of redacted and removed versions are read
     * @param storeId the store
     * @param head the chain head of the commit's snapshot
     * @param added versions the commit adds
     * @param replaced versions the commit replaces (redactions)
     * @param removed versions the commit removes (retention)
     * @param now the commit's time
     * @return the update, or empty if the commit adds no link
     */
    static Optional<ChainUpdate> seal(MemoryBackend backend, StoreId storeId, ChainHead head,
            List<MemoryVersion> added, List<MemoryVersion> replaced, List<VersionId> removed, Instant now) {
        if (added.isEmpty() && replaced.isEmpty() && removed.isEmpty()) {
            return Optional.empty();
        }
        long position = head.length();
        String prev = head.hash();
        if (added.size() == 1 && replaced.isEmpty() && removed.isEmpty()) { // the common commit: one new version
            MemoryVersion v = added.get(0);
            VersionSeal seal = sealVersion(prev, position + 1, v);
            // an immutable map, which the update keeps as it is
            return finish(storeId, head, seal.position(), seal.hash(), Map.of(v.id(), seal), List.of());
        }
        Map<VersionId, VersionSeal> seals = new LinkedHashMap<>();
        for (MemoryVersion v : added) {
            position++;
            VersionSeal seal = sealVersion(prev, position, v);
            prev = seal.hash();
            seals.put(v.id(), seal);
        }
        for (MemoryVersion v : replaced) {
            if (!v.isRedacted()) {
                throw new IllegalStateException("a commit replaces versions only to redact them: " + v.id());
            }
            Optional<VersionSeal> old = backend.findSeal(storeId, v.id());
            if (old.isEmpty()) {
                continue; // an unchained version stays outside the chain
            }
            position++;
            prev = ChainCodec.redactionLink(prev, position, v, old.get().leaf());
            seals.put(v.id(), old.get().redacted(position, prev));
        }
        // Each removed link, by position, with its hash; a run of removed positions is recorded at its end.
        if (removed.isEmpty()) { // the common commit: nothing removed, no gap to record
            return finish(storeId, head, position, prev, seals, List.of());
        }
        TreeMap<Long, String> gone = new TreeMap<>();
        for (VersionId id : removed) {
            backend.findSeal(storeId, id).ifPresent(s -> {
                gone.put(s.position(), s.hash());
                s.redactionPosition().ifPresent(p -> gone.put(p, s.redactionHash().orElseThrow()));
            });
        }
        List<ChainGap> gaps = new ArrayList<>();
        for (Map.Entry<Long, String> e : gone.entrySet()) {
            if (!gone.containsKey(e.getKey() + 1)) {
                position++;
                prev = ChainCodec.gapLink(prev, position, storeId, e.getKey(), now, e.getValue());
                gaps.add(new ChainGap(position, e.getKey(), e.getValue(), now, prev));
            }
        }
        return finish(storeId, head, position, prev, seals, gaps);
    }

    /** Seals a new version at a position after the link {@code prev}, with a fresh salt. */
    private static VersionSeal sealVersion(String prev, long position, MemoryVersion v) {
        // salt and leaf stay raw bytes until the seal writes them in hex: nothing is read back from hex
        byte[] salt = ChainCodec.newSaltBytes();
        byte[] leaf = ChainCodec.leaf(salt, v.path(), v.content());
        return new VersionSeal(position, ChainCodec.versionLink(prev, position, v, leaf), Contents.hex(leaf),
                Optional.of(Contents.hex(salt)), Optional.empty(), Optional.empty());
    }

    private static Optional<ChainUpdate> finish(StoreId storeId, ChainHead head, long position, String prev,
            Map<VersionId, VersionSeal> seals, List<ChainGap> gaps) {
        if (position == head.length()) {
            return Optional.empty();
        }
        if (position < head.length()) {
            throw new StorageException("the chain of store " + storeId + " overflowed", null);
        }
        return Optional.of(new ChainUpdate(new ChainHead(position, prev), seals, gaps));
    }

    /**
     * Links a commit's added versions onto another chain head than the one they were sealed on, keeping each
     * version's leaf and salt: what a head-conditioned commit stores when it applies at a later sequence than it read.
     * Only for commits that add versions and nothing else to the chain (no redactions, no gaps).
     *
     * @param sealed the update the versions were sealed with, on the head the commit read
     * @param added the versions, in the order they were sealed
     * @param at the chain head the commit applies on
     * @return the update on top of {@code at}
     */
    static ChainUpdate relink(ChainUpdate sealed, List<MemoryVersion> added, ChainHead at) {
        if (!sealed.gaps().isEmpty() || sealed.seals().size() != added.size()) {
            throw new IllegalStateException("only a commit that adds versions and nothing else is linked again");
        }
        long position = at.length();
        String prev = at.hash();
        Map<VersionId, VersionSeal> seals = new LinkedHashMap<>();
        for (MemoryVersion v : added) {
            VersionSeal old = sealed.seals().get(v.id());
            position++;
            prev = ChainCodec.versionLink(prev, position, v, old.leaf());
            seals.put(v.id(), new VersionSeal(position, prev, old.leaf(), old.salt(), Optional.empty(),
                    Optional.empty()));
        }
        return new ChainUpdate(new ChainHead(position, prev), seals, List.of());
    }
}
