package dev.agentmemory.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A retention purge's record of a gap it made in the hash chain: the links up to {@code gapEnd} that it removed
 * (with their versions) ended in {@code gapHash}, so verification continues after the gap from that hash. The record
 * is itself a link of the chain, at {@code position}, so it cannot be added or changed later without breaking the
 * chain after it.
 *
 * @param position this record's own position in the chain
 * @param gapEnd the position of the last removed link of the gap
 * @param gapHash the hash of that link
 * @param createdAt when the purge removed it
 * @param hash this record's link hash
 */
public record ChainGap(long position, long gapEnd, String gapHash, Instant createdAt, String hash) {

    /** Checks the fields. */
    public ChainGap {
        if (gapEnd < 1 || position <= gapEnd) {
            throw new IllegalArgumentException("a gap record follows its gap: position " + position + ", gap end "
                    + gapEnd);
        }
        ChainHead.checkHash("gapHash", gapHash);
        Objects.requireNonNull(createdAt, "createdAt");
        ChainHead.checkHash("hash", hash);
    }
}
