package dev.agentmemory.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * A version's place in its store's hash chain, as the service computed it and a backend stores it beside the
 * version: the version's link, and once the version is redacted, the redaction's link.
 *
 * <p>The leaf is the hash of the version's path and content under its salt; redaction erases the salt (with the
 * content and path) and keeps the leaf, so the chain still verifies while nothing is left to test a guess against.
 *
 * @param position the version link's position in the chain, from 1
 * @param hash the version link's hash, 64 lowercase hex digits
 * @param leaf the hash of the salted path and content, 64 lowercase hex digits
 * @param salt the random salt, 64 lowercase hex digits; empty once redacted
 * @param redactionPosition the position of the redaction's link, once redacted
 * @param redactionHash the redaction link's hash, once redacted
 */
public record VersionSeal(
        long position,
        String hash,
        String leaf,
        Optional<String> salt,
        Optional<Long> redactionPosition,
        Optional<String> redactionHash) {

    /** Checks the fields. */
    public VersionSeal {
        if (position < 1) {
            throw new IllegalArgumentException("a chain position starts at 1: " + position);
        }
        ChainHead.checkHash("hash", hash);
        ChainHead.checkHash("leaf", leaf);
        Objects.requireNonNull(salt, "salt").ifPresent(s -> ChainHead.checkHash("salt", s));
        Objects.requireNonNull(redactionPosition, "redactionPosition");
        Objects.requireNonNull(redactionHash, "redactionHash").ifPresent(h -> ChainHead.checkHash("redactionHash", h));
        if (redactionPosition.isPresent() != redactionHash.isPresent()) {
            throw new IllegalArgumentException("redactionPosition and redactionHash come together");
        }
    }

    /**
     * Returns this seal for the version redacted: salt erased, the redaction's link added.
     *
     * @param position the redaction link's position
     * @param hash the redaction link's hash
     * @return the new seal
     */
    public VersionSeal redacted(long position, String hash) {
        return new VersionSeal(this.position, this.hash, leaf, Optional.empty(), Optional.of(position),
                Optional.of(hash));
    }
}
