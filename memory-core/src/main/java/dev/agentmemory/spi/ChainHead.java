package dev.agentmemory.spi;

import java.util.Objects;

/**
 * The end of a store's hash chain, kept with the store next to its sequence: how many links the chain has and the
 * hash of the last one. Every commit that adds links replaces it, atomically with the commit.
 *
 * @param length the number of links ever appended (positions run from 1 to {@code length}); 0 for a new store
 * @param hash the last link's hash, 64 lowercase hex digits; {@link #GENESIS_HASH} when the chain is empty
 */
public record ChainHead(long length, String hash) {

    /** The hash a chain starts from: 32 zero bytes. */
    public static final String GENESIS_HASH = "0".repeat(64);

    /** The head of an empty chain. */
    public static final ChainHead GENESIS = new ChainHead(0, GENESIS_HASH);

    /** Checks the fields. */
    public ChainHead {
        if (length < 0) {
            throw new IllegalArgumentException("a chain length cannot be negative: " + length);
        }
        checkHash("hash", hash);
    }

    /**
     * Checks that a value is a SHA-256 hash in lowercase hex.
     *
     * @param what names the value in the error
     * @param hash the value
     * @return the value
     * @throws IllegalArgumentException if it is not 64 lowercase hex digits
     */
    public static String checkHash(String what, String hash) {
        Objects.requireNonNull(hash, what);
        boolean ok = hash.length() == 64;
        for (int i = 0; ok && i < 64; i++) { // a loop, not a stream: every version's seal checks three hashes
            char c = hash.charAt(i);
            ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }
        if (!ok) {
            throw new IllegalArgumentException(what + " must be 64 lowercase hex digits: " + hash);
        }
        return hash;
    }
}
