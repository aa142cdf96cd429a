package dev.agentmemory.policy;

/**
 * What one session has written within a quota window, as {@link SessionQuota} counts it. An immutable value.
 *
 * @param bytes the content bytes written
 * @param writes the writes made
 * @param writesToPath the writes made to the path of the write being decided
 */
public record QuotaUsage(long bytes, int writes, int writesToPath) {

    /** Nothing written. */
    public static final QuotaUsage NONE = new QuotaUsage(0, 0, 0);

    /** Checks that no count is negative. */
    public QuotaUsage {
        if (bytes < 0 || writes < 0 || writesToPath < 0) {
            throw new IllegalArgumentException("usage counts cannot be negative");
        }
    }
}
