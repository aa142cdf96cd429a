package dev.agentmemory.checkout;

import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.WorkspaceId;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a checkout directory's manifest says about it, readable without a session ({@link Checkout#find(Path)}), so
 * that a tool can find the session to reopen it with.
 *
 * @param directory the checkout's root directory, absolute
 * @param sessionId the session it was checked out for
 * @param workspaceId the session's workspace
 * @param mounts the slugs of the checked-out mounts, in the session's attachment order
 */
public record CheckoutInfo(Path directory, SessionId sessionId, WorkspaceId workspaceId, List<String> mounts) {

    /** Checks that every field is present and copies the mounts. */
    public CheckoutInfo {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        mounts = List.copyOf(mounts);
    }
}
