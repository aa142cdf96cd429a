package dev.agentmemory.spi;

import dev.agentmemory.model.MemoryVersion;
import java.util.Objects;
import java.util.Optional;

/**
 * One link of a store's hash chain as {@link MemoryBackend#listChain} returns it: a version (with its content, if it
 * has any), a version's redaction, or a purge's gap record.
 *
 * @param position the link's position
 * @param kind what the link records
 * @param version the version, for {@link Kind#VERSION} and {@link Kind#REDACTION}
 * @param seal the version's seal, for {@link Kind#VERSION} and {@link Kind#REDACTION}
 * @param gap the gap record, for {@link Kind#GAP}
 */
public record ChainEntry(
        long position, Kind kind, Optional<MemoryVersion> version, Optional<VersionSeal> seal, Optional<ChainGap> gap) {

    /** What a link records. */
    public enum Kind {
        /** A version was written. */
        VERSION,
        /** A version was redacted. */
        REDACTION,
        /** A purge removed links before this one. */
        GAP
    }

    /** Checks that the fields fit the kind. */
    public ChainEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(seal, "seal");
        Objects.requireNonNull(gap, "gap");
        boolean versionKind = kind != Kind.GAP;
        if (version.isPresent() != versionKind || seal.isPresent() != versionKind || gap.isPresent() == versionKind) {
            throw new IllegalArgumentException("a " + kind + " link carries " + (versionKind ? "a version and its seal"
                    : "a gap record") + " only");
        }
    }

    /**
     * A version's link.
     *
     * @param v the version
     * @param seal its seal
     * @return the entry at the seal's position
     */
    public static ChainEntry version(MemoryVersion v, VersionSeal seal) {
        return new ChainEntry(seal.position(), Kind.VERSION, Optional.of(v), Optional.of(seal), Optional.empty());
    }

    /**
     * A redaction's link.
     *
     * @param v the redacted version
     * @param seal its seal, with the redaction's position
     * @return the entry at the redaction's position
     */
    public static ChainEntry redaction(MemoryVersion v, VersionSeal seal) {
        return new ChainEntry(seal.redactionPosition().orElseThrow(), Kind.REDACTION, Optional.of(v),
                Optional.of(seal), Optional.empty());
    }

    /**
     * A gap record's link.
     *
     * @param gap the record
     * @return the entry at its position
     */
    public static ChainEntry gap(ChainGap gap) {
        return new ChainEntry(gap.position(), Kind.GAP, Optional.empty(), Optional.empty(), Optional.of(gap));
    }
}
