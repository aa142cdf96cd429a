package dev.agentmemory.model;

/** How a session may use an attached store. */
public enum Access {
    /** Read and write; the default. Writes are versions attributed to the session. */
    READ_WRITE("read_write"),
    /** Read only: every mutation through every surface is refused with a {@link dev.agentmemory.ReadOnlyException}. */
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
}
