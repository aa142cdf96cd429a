package dev.agentmemory.policy;

import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A write that has been asked for but not yet stored: what a {@link WritePolicy} decides about. An immutable value.
 *
 * <p>A create or an update that changes content carries the new content; a delete, and an update that only moves a
 * memory, carry none. A move carries the path it leaves as {@link #previousPath()}. The store's metadata is a
 * snapshot taken when the write began, so policies that depend on it (such as {@link ReferenceStorePolicy}) need no
 * I/O.
 *
 * @param store the store written to
 * @param storeMetadata the store's metadata pairs, unmodifiable
 * @param path the memory's path after the write, for example {@code /notes/build.md}
 * @param previousPath the path before the write, when the write moves the memory
 * @param content the memory's new content, when the write sets content
 * @param actor who writes: the session for a session's write, or the operator
 * @param operation what the write does: {@link Operation#CREATED}, {@link Operation#MODIFIED} or
 *     {@link Operation#DELETED}
 */
public record WriteRequest(
        StoreId store,
        Map<String, String> storeMetadata,
        String path,
        Optional<String> previousPath,
        Optional<String> content,
        Actor actor,
        Operation operation) {

    /** Checks that every field is present and copies the metadata. */
    public WriteRequest {
        Objects.requireNonNull(store, "store");
        storeMetadata = Map.copyOf(storeMetadata);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(previousPath, "previousPath");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(operation, "operation");
        if (operation == Operation.DELETED && content.isPresent()) {
            throw new IllegalArgumentException("a delete carries no content");
        }
    }

    /**
     * A new memory.
     *
     * @param store the store
     * @param storeMetadata the store's metadata
     * @param path the new memory's path
     * @param content its content
     * @param actor who writes
     * @return the request
     */
    public static WriteRequest create(StoreId store, Map<String, String> storeMetadata, String path, String content,
            Actor actor) {
        return new WriteRequest(store, storeMetadata, path, Optional.empty(), Optional.of(content), actor,
                Operation.CREATED);
    }

    /**
     * A change to an existing memory's content, path or both.
     *
     * @param store the store
     * @param storeMetadata the store's metadata
     * @param path the memory's path after the change
     * @param previousPath its path before, when the change moves it
     * @param content its new content, when the change sets content
     * @param actor who writes
     * @return the request
     */
    public static WriteRequest update(StoreId store, Map<String, String> storeMetadata, String path,
            Optional<String> previousPath, Optional<String> content, Actor actor) {
        return new WriteRequest(store, storeMetadata, path, previousPath, content, actor, Operation.MODIFIED);
    }

    /**
     * The deletion of a memory.
     *
     * @param store the store
     * @param storeMetadata the store's metadata
     * @param path the deleted memory's path
     * @param actor who writes
     * @return the request
     */
    public static WriteRequest delete(StoreId store, Map<String, String> storeMetadata, String path, Actor actor) {
        return new WriteRequest(store, storeMetadata, path, Optional.empty(), Optional.empty(), actor,
                Operation.DELETED);
    }

    /**
     * Returns the writing session, when the actor is one.
     *
     * @return the session, or empty for an operator's write
     */
    public Optional<SessionId> session() {
        return actor instanceof Actor.SessionActor s ? Optional.of(s.sessionId()) : Optional.empty();
    }

    /**
     * Returns the content's size in UTF-8 bytes.
     *
     * @return the size, 0 when the write carries no content
     */
    public long contentBytes() {
        return content.map(c -> (long) utf8Length(c)).orElse(0L);
    }

    /**
     * Returns the same request with other content, as a chain passes it on after a redaction.
     *
     * @param newContent the content
     * @return the request
     */
    public WriteRequest withContent(String newContent) {
        return new WriteRequest(store, storeMetadata, path, previousPath, Optional.of(newContent), actor, operation);
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        // Never print the content: it may be the secret a policy is about to redact.
        return "WriteRequest[" + operation.wireName() + " " + path + " in " + store.value() + " by " + actor
                + content.map(c -> ", " + c.length() + " chars").orElse("") + "]";
    }

}
