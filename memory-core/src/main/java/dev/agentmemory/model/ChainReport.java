package dev.agentmemory.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What verifying a store's hash chain found.
 *
 * <p>A report without a {@link #broken() broken link} says: every link from the first to the store's head
 * recomputes from what storage holds now (each version's metadata, and its path and content under its salt unless it
 * was redacted through the library), every removed run of links is covered by a purge's gap record that is itself on
 * the chain, and the chain ends at the head kept with the store. {@link #unchainedVersions()} counts versions written
 * before the store had a chain; they are outside this guarantee. {@link #versionLinksV1()} counts versions sealed
 * before a version's link covered its policy redactions: everything else about them is verified, but their
 * {@link MemoryVersion#policyRedactions() policy redactions} are not.
 *
 * @param storeId the store
 * @param linksVerified how many links recomputed correctly (versions, redactions and gap records)
 * @param versionsVerified how many of those were version links
 * @param versionLinksV1 how many of those version links were sealed with the first link encoding, which does not
 *     cover the version's policy redactions (links sealed by earlier releases of the library); 0 for a store whose
 *     chain began with this release
 * @param gapsSpanned how many runs of purged links the walk stepped over on a gap record
 * @param unchainedVersions versions that have no link (written before the chain existed)
 * @param head the store's chain head as stored, which the walk must end at
 * @param checkpoint the published checkpoint verified against, if one was given
 * @param broken the first link that failed, if any
 */
public record ChainReport(
        StoreId storeId,
        long linksVerified,
        long versionsVerified,
        long versionLinksV1,
        long gapsSpanned,
        long unchainedVersions,
        ChainCheckpoint head,
        Optional<ChainCheckpoint> checkpoint,
        Optional<BrokenLink> broken) {

    /** Checks that every field is present. */
    public ChainReport {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(broken, "broken");
    }

    /**
     * Tells whether the whole chain verified.
     *
     * @return true if no link is broken
     */
    public boolean intact() {
        return broken.isEmpty();
    }

    /** What is wrong with a link. */
    public enum Problem {
        /** A version's path or content (or its recorded SHA-256 or size) is not what its link sealed. */
        CONTENT,
        /**
         * A link's metadata (actor, time, operation, ids, position or a version's policy redactions) is not what it
         * sealed.
         */
        METADATA,
        /** A position holds no link, and no purge recorded removing it: a version was deleted from storage. */
        MISSING,
        /** A link sits at another position than the one it was sealed at. */
        REORDERED,
        /** A version shows as redacted (or lost its content) without a valid redaction link. */
        FORGED_REDACTION,
        /** The chain does not end at the head kept with the store (links were cut off or added at the end). */
        HEAD,
        /** The chain does not pass through the published checkpoint it was verified against. */
        CHECKPOINT
    }

    /**
     * The first link that failed.
     *
     * @param position its position in the chain
     * @param versionId the version it belongs to, when it belongs to one (for {@link Problem#MISSING}, the version of
     *     the first link after the missing ones)
     * @param problem what is wrong
     * @param detail a sentence saying what differs
     */
    public record BrokenLink(long position, Optional<VersionId> versionId, Problem problem, String detail) {

        /** Checks that every field is present. */
        public BrokenLink {
            Objects.requireNonNull(versionId, "versionId");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
