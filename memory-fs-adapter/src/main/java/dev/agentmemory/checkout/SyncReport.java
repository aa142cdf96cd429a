package dev.agentmemory.checkout;

import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.VersionId;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link Checkout#sync()} did. Every entry names its mount (the slug) and a path: the memory path inside
 * the mount ({@code /notes/a.md}), or, for something outside every mount, the path relative to the checkout's root
 * with a leading {@code /} and an empty mount.
 *
 * @param pushed local changes that became versions in a store, in the order they were written
 * @param pulled changes others made that were written into the checkout
 * @param conflicts changes made both locally and in the store; nothing was lost (see {@link Conflict})
 * @param refused local changes that were not written to the store (read-only mount, symlink, special file, invalid
 *     content or path, full store)
 * @param errors failures that are neither conflicts nor refusals (storage errors, host file system errors)
 */
public record SyncReport(
        List<Pushed> pushed, List<Pulled> pulled, List<Conflict> conflicts, List<Refusal> refused,
        List<Failure> errors) {

    /** Copies the lists. */
    public SyncReport {
        pushed = List.copyOf(pushed);
        pulled = List.copyOf(pulled);
        conflicts = List.copyOf(conflicts);
        refused = List.copyOf(refused);
        errors = List.copyOf(errors);
    }

    /**
     * Tells whether the sync had nothing to report but pushes and pulls.
     *
     * @return true if there are no conflicts, refusals or errors
     */
    public boolean isClean() {
        return conflicts.isEmpty() && refused.isEmpty() && errors.isEmpty();
    }

    /**
     * Tells whether the sync found nothing at all to do.
     *
     * @return true if every list is empty
     */
    public boolean isEmpty() {
        return isClean() && pushed.isEmpty() && pulled.isEmpty();
    }

    /**
     * A local change written to the store as one version attributed to the session.
     *
     * @param mount the mount's slug
     * @param path the memory's path after the change
     * @param operation {@code CREATED}, {@code MODIFIED} (content and/or path) or {@code DELETED}
     * @param previousPath the path before a rename
     * @param memoryId the memory
     * @param versionId the version written; empty if the store already had that state (no version was needed)
     */
    public record Pushed(
            String mount, String path, Operation operation, Optional<String> previousPath, MemoryId memoryId,
            Optional<VersionId> versionId) {
        /** Checks that every field is present. */
        public Pushed {
            Objects.requireNonNull(mount, "mount");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(previousPath, "previousPath");
            Objects.requireNonNull(memoryId, "memoryId");
            Objects.requireNonNull(versionId, "versionId");
        }
    }

    /**
     * A change made by another writer, written into the checkout.
     *
     * @param mount the mount's slug
     * @param path the memory's path now (for a deletion, the path it had)
     * @param operation {@code CREATED}, {@code MODIFIED} (content and/or path) or {@code DELETED}
     * @param previousPath the path the file had before a rename
     * @param memoryId the memory
     */
    public record Pulled(
            String mount, String path, Operation operation, Optional<String> previousPath, MemoryId memoryId) {
        /** Checks that every field is present. */
        public Pulled {
            Objects.requireNonNull(mount, "mount");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(previousPath, "previousPath");
            Objects.requireNonNull(memoryId, "memoryId");
        }
    }

    /** How a local change and another writer's change collided. */
    public enum ConflictKind {
        /** Both changed the content. The store keeps the other's; the local content is in the conflict file. */
        BOTH_MODIFIED,
        /** Both created a memory at the same path with different content. The store keeps the other's. */
        BOTH_CREATED,
        /** The local file was edited, the memory deleted in the store. The edit is kept in the conflict file. */
        LOCAL_MODIFIED_REMOTE_DELETED,
        /** The local file was deleted, the memory edited in the store. The store's edit is restored locally. */
        LOCAL_DELETED_REMOTE_MODIFIED,
        /** The local file was renamed, the memory changed in the store. The renamed file is kept as the conflict file. */
        LOCAL_MOVED_REMOTE_CHANGED,
        /** A new local file's path is taken in the store (or clashes with a directory there). */
        PATH_TAKEN
    }

    /**
     * A local change that collided with another writer's. Nothing is lost: the store keeps the other writer's version,
     * the file at {@link #path()} now has the store's content (or is gone if the store deleted it), and the local
     * content is kept beside it in {@link #localCopy()}, which later syncs never push (see {@code docs/checkout.md}).
     *
     * @param mount the mount's slug
     * @param path the memory path the conflict is about
     * @param kind how the changes collided
     * @param localCopy the host file that keeps the local content; empty when there was no local content to keep
     *     (a local deletion)
     * @param message what happened, for a person
     */
    public record Conflict(String mount, String path, ConflictKind kind, Optional<Path> localCopy, String message) {
        /** Checks that every field is present. */
        public Conflict {
            Objects.requireNonNull(mount, "mount");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(localCopy, "localCopy");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Why a local change was refused. */
    public enum RefusalReason {
        /** The mount is read-only (or its store archived). */
        READ_ONLY,
        /** A symbolic link: never followed, never pushed. */
        SYMLINK,
        /** Not a regular file or directory (a FIFO, socket or device). */
        SPECIAL_FILE,
        /** Outside every mount directory of the checkout. */
        OUTSIDE_MOUNT,
        /** The content is not valid UTF-8, or breaks another content rule of the store. */
        INVALID_CONTENT,
        /** The content is larger than the store allows. */
        TOO_LARGE,
        /** The path breaks a path rule of the store. */
        INVALID_PATH,
        /** The store holds as many memories as it may. */
        STORE_FULL
    }

    /**
     * A local change that was not written to the store.
     *
     * @param mount the mount's slug; empty for something outside every mount
     * @param path the memory path, or the path relative to the checkout's root for something outside every mount
     * @param reason why it was refused
     * @param restored true if the local change was undone (read-only mounts): the file is as the store has it again
     * @param savedCopy where the refused local content was kept when undoing it would otherwise have lost it
     * @param message what was wrong and how to fix it
     */
    public record Refusal(
            String mount, String path, RefusalReason reason, boolean restored, Optional<Path> savedCopy,
            String message) {
        /** Checks that every field is present. */
        public Refusal {
            Objects.requireNonNull(mount, "mount");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(savedCopy, "savedCopy");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A failure that left one file or memory unsynchronised; the next sync tries again.
     *
     * @param mount the mount's slug; empty if the failure concerns the whole checkout
     * @param path the memory path, or {@code /} for a whole mount
     * @param code the core's error code ({@code MemoryException#code()}) or {@code io_error}
     * @param message what went wrong
     */
    public record Failure(String mount, String path, String code, String message) {
        /** Checks that every field is present. */
        public Failure {
            Objects.requireNonNull(mount, "mount");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
