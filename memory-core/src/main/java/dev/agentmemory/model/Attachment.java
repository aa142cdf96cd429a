package dev.agentmemory.model;

import java.util.Objects;

/**
 * A store attached to a session, as the session sees it: where it is mounted, how it may be used, and a snapshot of
 * the store's name and description taken when the session was created (a later rename does not move the mount).
 *
 * @param storeId the store
 * @param access read-write or read-only
 * @param instructions the attachment's instructions, possibly empty
 * @param slug the mount's directory name, unique in the session ({@code demo-memory}, {@code demo-memory-2})
 * @param mountPath {@code /mnt/memory/<slug>/}
 * @param storeName the store's name when the session was created
 * @param storeDescription the store's description when the session was created
 */
public record Attachment(
        StoreId storeId, Access access, String instructions, String slug, String mountPath, String storeName,
        String storeDescription) {

    /** The directory under which every store is mounted. */
    public static final String MOUNT_ROOT = "/mnt/memory/";

    /** Checks that every field is present. */
    public Attachment {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(instructions, "instructions");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(mountPath, "mountPath");
        Objects.requireNonNull(storeName, "storeName");
        Objects.requireNonNull(storeDescription, "storeDescription");
    }
}
