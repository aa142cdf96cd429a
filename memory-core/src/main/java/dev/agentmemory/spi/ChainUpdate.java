package dev.agentmemory.spi;

import dev.agentmemory.model.VersionId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a commit adds to its store's hash chain: the seals of the versions it adds or redacts, the gap records of a
 * purge, and the chain's new head. A backend stores them with the commit, atomically; it computes nothing.
 *
 * @param head the chain's head after the commit
 * @param seals the seal of every version the commit adds, and the new seal of every version it redacts
 * @param gaps gap records of the versions the commit removes
 */
public record ChainUpdate(ChainHead head, Map<VersionId, VersionSeal> seals, List<ChainGap> gaps) {

    /** Checks the fields and copies the collections. */
    public ChainUpdate {
        Objects.requireNonNull(head, "head");
        seals = Map.copyOf(seals);
        gaps = List.copyOf(gaps);
    }
}
