package dev.agentmemory.error;

/** A size or count limit would be passed: content size, path length, memories per store, attachments per session. */
public class LimitExceededException extends MemoryException {

    /** The limits a write or a session can pass. */
    public enum Limit {
        /** A memory's content, in UTF-8 bytes. */
        CONTENT_SIZE_BYTES("content_size_bytes"),
        /** A path's length, in UTF-8 bytes. */
        PATH_BYTES("path_bytes"),
        /** A path's number of segments. */
        PATH_SEGMENTS("path_segments"),
        /** The memories one store holds. */
        MEMORIES_PER_STORE("memories_per_store"),
        /** The metadata pairs of one store. */
        STORE_METADATA_PAIRS("store_metadata_pairs"),
        /** The stores attached to one session. */
        ATTACHMENTS_PER_SESSION("attachments_per_session"),
        /** A store's name, in characters. */
        STORE_NAME_CHARS("store_name_chars"),
        /** A store's description, in characters. */
        STORE_DESCRIPTION_CHARS("store_description_chars"),
        /** A store metadata key, in characters. */
        STORE_METADATA_KEY_CHARS("store_metadata_key_chars"),
        /** A store metadata value, in characters. */
        STORE_METADATA_VALUE_CHARS("store_metadata_value_chars"),
        /** The instructions of one attachment, in characters. */
        ATTACHMENT_INSTRUCTIONS_CHARS("attachment_instructions_chars");

        private final String wireName;

        Limit(String wireName) {
            this.wireName = wireName;
        }

        /**
         * Returns the limit's name in messages and the hosted API.
         *
         * @return for example {@code content_size_bytes}
         */
        public String wireName() {
            return wireName;
        }
    }

    private final Limit limit;
    private final long value;
    private final long maximum;

    /**
     * Creates the exception.
     *
     * @param limit the limit
     * @param value the value that was asked for
     * @param maximum the largest value allowed
     * @param advice what to do instead
     */
    public LimitExceededException(Limit limit, long value, long maximum, String advice) {
        super(Kind.LIMIT_EXCEEDED, "limit " + limit.wireName() + " exceeded: " + value
                + " is more than the maximum of " + maximum + "; " + advice, null);
        this.limit = limit;
        this.value = value;
        this.maximum = maximum;
    }

    /**
     * Returns which limit was passed.
     *
     * @return the limit
     */
    public Limit which() {
        return limit;
    }

    /**
     * Returns the limit's name.
     *
     * @return for example {@code content_size_bytes} or {@code memories_per_store}
     */
    public String limit() {
        return limit.wireName();
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
