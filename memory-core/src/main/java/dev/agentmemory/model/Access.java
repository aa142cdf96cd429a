package dev.agentmemory.model;

/** How a session may use an attached store. */
public enum Access {
    /** Read and write; the default. Writes are versions attributed to the session. */
    READ_WRITE("read_write"),
    /** Read only: every mutation through every surface is refused with a {@link dev.agentmemory.error.ReadOnlyException}. */
    READ_ONLY("read_only");

    private final String wireName;

    Access(String wireName) {
        this.wireName = wireName;
    }

    /**
     * Returns the name used in the hosted API and in prompts.
     *
     * @return {@code read_write} or {@code read_only}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the access with this wire name. Only the two exact names are accepted, so that an unknown or corrupted
     * value can never be taken for read-write.
     *
     * @param wireName {@code read_write} or {@code read_only}
     * @return the access
     * @throws dev.agentmemory.error.InvalidArgumentException for any other name
     */
    public static Access fromWireName(String wireName) {
        for (Access a : values()) {
            if (a.wireName.equals(wireName)) {
                return a;
            }
        }
        throw new dev.agentmemory.error.InvalidArgumentException("access", "unknown access '" + wireName
                + "'; expected read_write or read_only");
    }
}
