package dev.agentmemory.model;

import java.util.Objects;

/**
 * A store to attach to a new session, with its access and instructions.
 *
 * @param storeId the store
 * @param access read-write (the default) or read-only
 * @param instructions how the agent should use the store in this session, at most 4,096 characters
 */
public record AttachmentSpec(StoreId storeId, Access access, String instructions) {

    /** Checks that every field is present. */
    public AttachmentSpec {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(instructions, "instructions");
    }

    /**
     * Returns a read-write attachment without instructions.
     *
     * @param storeId the store
     * @return the attachment
     */
    public static AttachmentSpec readWrite(StoreId storeId) {
        return new AttachmentSpec(storeId, Access.READ_WRITE, "");
    }

    /**
     * Returns a read-only attachment without instructions.
     *
     * @param storeId the store
     * @return the attachment
     */
    public static AttachmentSpec readOnly(StoreId storeId) {
        return new AttachmentSpec(storeId, Access.READ_ONLY, "");
    }

    /**
     * Returns this attachment with instructions.
     *
     * @param text at most 4,096 characters
     * @return the attachment
     */
    public AttachmentSpec withInstructions(String text) {
        return new AttachmentSpec(storeId, access, text);
    }
}
