package dev.agentmemory.model;

import dev.agentmemory.error.InvalidArgumentException;

/** The kind of change a version records. */
public enum Operation {
    /** The memory was created. */
    CREATED("created"),
    /** The memory's content or path changed. */
    MODIFIED("modified"),
    /** The memory was deleted; the version has no content, SHA-256 or size. */
    DELETED("deleted");

    private final String wireName;

    Operation(String wireName) {
        this.wireName = wireName;
    }

    /**
     * Returns the name used in the hosted API and in exports.
     *
     * @return for example {@code modified}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the operation with this wire name.
     *
     * @param wireName {@code created}, {@code modified} or {@code deleted}
     * @return the operation
     * @throws dev.agentmemory.error.InvalidArgumentException for any other name
     */
    public static Operation fromWireName(String wireName) {
        for (Operation op : values()) {
            if (op.wireName.equals(wireName)) {
                return op;
            }
        }
        throw new InvalidArgumentException("operation",
                "unknown operation '" + wireName + "'; expected created, modified or deleted");
    }
}
