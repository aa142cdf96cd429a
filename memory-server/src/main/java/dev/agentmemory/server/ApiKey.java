package dev.agentmemory.server;

import dev.agentmemory.model.WorkspaceId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An API key as the server keeps it: never its secret, which exists only in the {@link NewApiKey} returned once when
 * the key is created.
 *
 * @param id the key's id, {@code apikey_...}; versions written through the key name it as their {@code api_actor}
 * @param workspaceId the one workspace the key reaches
 * @param name a label for operators
 * @param createdAt when it was created
 * @param revokedAt when it was revoked; a revoked key is refused
 */
public record ApiKey(String id, WorkspaceId workspaceId, String name, Instant createdAt, Optional<Instant> revokedAt) {

    /** Checks that every field is present. */
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    /** @return whether the key was revoked */
    public boolean isRevoked() {
        return revokedAt.isPresent();
    }
}
