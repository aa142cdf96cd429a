package dev.agentmemory;

/** A size or count limit would be passed: content size, path length, memories per store, attachments per session. */
public class LimitExceededException extends MemoryException {

    private final String limit;
    private final long value;
    private final long maximum;

    /**
     * Creates the exception.
     *
     * @param limit the limit's name, for example {@code content_size_bytes}
     * @param value the value that was asked for
     * @param maximum the largest value allowed
     * @param advice what to do instead
     */
    public LimitExceededException(String limit, long value, long maximum, String advice) {
        super("limit_exceeded_error", "limit " + limit + " exceeded: " + value + " is more than the maximum of "
                + maximum + "; " + advice, null);
        this.limit = limit;
        this.value = value;
        this.maximum = maximum;
    }

    /**
     * Returns the limit's name.
     *
     * @return for example {@code content_size_bytes} or {@code memories_per_store}
     */
    public String limit() {
        return limit;
    }

    /**
     * Returns the value that was asked for.
     *
     * @return the value
     */
    public long value() {
        return value;
    }

    /**
     * Returns the largest value allowed.
     *
     * @return the maximum
     */
    public long maximum() {
        return maximum;
    }
}
