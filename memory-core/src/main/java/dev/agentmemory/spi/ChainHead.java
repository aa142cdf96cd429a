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
        // Every write checks a few of these: a loop without branches. For each char, (c - '0') | ('9' - c) is negative
        // exactly when c is outside '0'..'9', and likewise for 'a'..'f'; the AND is negative when c is outside both.
        int outside = hash.length() == 64 ? 0 : -1;
        for (int i = 0; outside >= 0 && i < 64; i += 16) {
            for (int j = i; j < i + 16; j++) {
                int c = hash.charAt(j);
                outside |= ((c - '0') | ('9' - c)) & ((c - 'a') | ('f' - c));
            }
        }
        if (outside < 0) {
            throw new IllegalArgumentException(what + " must be 64 lowercase hex digits: " + hash);
        }
        return hash;
    }
}
