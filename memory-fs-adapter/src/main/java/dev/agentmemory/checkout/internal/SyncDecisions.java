package dev.agentmemory.checkout.internal;

import dev.agentmemory.checkout.SyncReport.RefusalReason;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.model.Memory;
import java.util.Optional;

/**
 * What a read-write sync does with each local change, decided from the manifest entry, the local content and the
 * store's state alone: pure functions, table-tested, apart from the scanning that gathers their inputs and the
 * applying (pushes, pulls, files set aside) that carries them out.
 */
final class SyncDecisions {

    private SyncDecisions() {
    }

    /** How the store's memory of a manifest entry compares with the entry. */
    enum Remote {
        /** The store did not move since the last sync, so it was not listed: as the manifest says. */
        NOT_LISTED,
        /** The memory is gone from the store. */
        DELETED,
        /** Same content and path as the manifest says. */
        SAME,
        /** Same content, another path: another writer renamed it. */
        MOVED,
        /** Other content (and perhaps another path): another writer changed it. */
        CONTENT_CHANGED
    }

    /**
     * Compares the store's memory of an entry with the entry.
     *
     * @param path the entry's path
     * @param manifestSha the content SHA-256 the manifest recorded
     * @param listed whether the store was listed in this sync
     * @param memory the entry's memory in the listing, if it is there
     * @return how they compare
     */
    static Remote remote(String path, String manifestSha, boolean listed, Optional<Memory> memory) {
        if (!listed) {
            return Remote.NOT_LISTED;
        }
        if (memory.isEmpty()) {
            return Remote.DELETED;
        }
        if (!memory.get().contentSha256().equals(manifestSha)) {
            return Remote.CONTENT_CHANGED;
        }
        return memory.get().path().equals(path) ? Remote.SAME : Remote.MOVED;
    }

    /** A new local file. */
    enum Created {
        /** Another writer created the path with other content: set the local file aside, keep theirs. */
        ASIDE_BOTH_CREATED,
        /** Another writer created the same content at the path: record it in the manifest, push nothing. */
        ADOPT,
        /** The store's memory at the path is one the manifest already knows: leave it to the rest of the sync. */
        KNOWN,
        /** The file is not UTF-8 text: refuse it, keep it. */
        REFUSE_CONTENT,
        /** Push a create. */
        PUSH
    }

    /**
     * Decides a new local file.
     *
     * @param atPath the store's memory at the file's path, if the store was listed and has one
     * @param localSha the file's SHA-256
     * @param isText whether the file is UTF-8 text
     * @param idKnown whether the manifest already knows {@code atPath}'s memory
     * @return the decision
     */
    static Created created(Optional<Memory> atPath, String localSha, boolean isText, boolean idKnown) {
        if (atPath.isPresent()) {
            if (!atPath.get().contentSha256().equals(localSha)) {
                return Created.ASIDE_BOTH_CREATED;
            }
            return idKnown ? Created.KNOWN : Created.ADOPT;
        }
        return isText ? Created.PUSH : Created.REFUSE_CONTENT;
    }

    /** A local rename (a deleted file whose content reappeared at another path). */
    enum Renamed {
        /** Another writer changed, moved or deleted the memory: set the renamed file aside, take the store's state. */
        ASIDE_AND_SETTLE,
        /** Push the rename, on condition of the content the manifest recorded. */
        PUSH
    }

    /**
     * Decides a local rename.
     *
     * @param remote how the store's memory compares with the manifest
     * @return the decision
     */
    static Renamed renamed(Remote remote) {
        return switch (remote) {
            case DELETED, MOVED, CONTENT_CHANGED -> Renamed.ASIDE_AND_SETTLE;
            case NOT_LISTED, SAME -> Renamed.PUSH;
        };
    }

    /** A local edit. */
    enum Modified {
        /** Another writer deleted the memory: set the edited file aside, forget the entry. */
        ASIDE_AND_FORGET,
        /** Another writer changed the content too, to something else: set the file aside, pull theirs. */
        ASIDE_AND_PULL,
        /** Another writer made the same edit: pull (the file already holds it). */
        PULL,
        /** The file is not UTF-8 text: refuse it, keep it. */
        REFUSE_CONTENT,
        /** Push an update, on condition of the content the manifest recorded (at the memory's current path). */
        PUSH
    }

    /**
     * Decides a local edit.
     *
     * @param remote how the store's memory compares with the manifest
     * @param remoteSha the store's content SHA-256, if the memory was listed
     * @param localSha the file's SHA-256
     * @param isText whether the file is UTF-8 text
     * @return the decision
     */
    static Modified modified(Remote remote, Optional<String> remoteSha, String localSha, boolean isText) {
        return switch (remote) {
            case DELETED -> Modified.ASIDE_AND_FORGET;
            case CONTENT_CHANGED -> remoteSha.orElseThrow().equals(localSha) ? Modified.PULL
                    : Modified.ASIDE_AND_PULL;
            case NOT_LISTED, SAME, MOVED -> isText ? Modified.PUSH : Modified.REFUSE_CONTENT;
        };
    }

    /** A local delete. */
    enum Deleted {
        /** The store deleted it too: forget the entry. */
        FORGET,
        /** Another writer edited it: report the conflict and restore their version. */
        CONFLICT_AND_PULL,
        /** Push a delete, on condition of the content the manifest recorded. */
        PUSH
    }

    /**
     * Decides a local delete.
     *
     * @param remote how the store's memory compares with the manifest
     * @return the decision
     */
    static Deleted deleted(Remote remote) {
        return switch (remote) {
            case DELETED -> Deleted.FORGET;
            case CONTENT_CHANGED -> Deleted.CONFLICT_AND_PULL;
            case NOT_LISTED, SAME, MOVED -> Deleted.PUSH;
        };
    }

    /** A manifest entry no local change touched. */
    enum Untouched {
        /** The store deleted it: delete the local file (before any pull, to free its path). */
        DELETE_LOCAL,
        /** The store changed or moved it: pull the store's state into the file. */
        PULL,
        /** As the manifest says: nothing to do. */
        NOTHING
    }

    /**
     * Decides a manifest entry no local change touched.
     *
     * @param remote how the store's memory compares with the manifest
     * @return the decision
     */
    static Untouched untouched(Remote remote) {
        return switch (remote) {
            case DELETED -> Untouched.DELETE_LOCAL;
            case MOVED, CONTENT_CHANGED -> Untouched.PULL;
            case NOT_LISTED, SAME -> Untouched.NOTHING;
        };
    }

    /**
     * Why a push the store refused as invalid is reported refused.
     *
     * @param subject what the store found invalid
     * @return the refusal's reason
     */
    static RefusalReason refusal(InvalidArgumentException.Subject subject) {
        return switch (subject) {
            case PATH, PREFIX -> RefusalReason.INVALID_PATH;
            case CONTENT, PRECONDITION, REQUEST -> RefusalReason.INVALID_CONTENT;
        };
    }

    /**
     * Why a push the store refused over a limit is reported refused.
     *
     * @param limit the limit it would have exceeded
     * @return the refusal's reason
     */
    static RefusalReason refusal(LimitExceededException.Limit limit) {
        return switch (limit) {
            case MEMORIES_PER_STORE -> RefusalReason.STORE_FULL;
            case PATH_BYTES, PATH_SEGMENTS -> RefusalReason.INVALID_PATH;
            case CONTENT_SIZE_BYTES, STORE_METADATA_PAIRS, ATTACHMENTS_PER_SESSION, STORE_NAME_CHARS,
                    STORE_DESCRIPTION_CHARS, STORE_METADATA_KEY_CHARS, STORE_METADATA_VALUE_CHARS,
                    ATTACHMENT_INSTRUCTIONS_CHARS -> RefusalReason.TOO_LARGE;
        };
    }
}
