package dev.agentmemory.model;

import dev.agentmemory.model.internal.IdRules;

/**
 * Identifies a workspace: the tenant that owns stores and sessions. Nothing crosses workspaces.
 *
 * <p>Workspace ids belong to the host application (a tenant or account id), so any non-blank string of at most 255
 * characters without control or white-space characters is accepted.
 *
 * @param value the workspace id
 */
public record WorkspaceId(String value) implements Comparable<WorkspaceId> {

    /**
     * Checks the syntax of a workspace id.
     *
     * @throws dev.agentmemory.error.InvalidArgumentException if the value is blank, too long or has control characters
     */
    public WorkspaceId {
        IdRules.checkExternal(value, "workspace id");
    }

    /**
     * Returns the workspace id with this value.
     *
     * @param value the host application's tenant id
     * @return the id
     */
    public static WorkspaceId of(String value) {
        return new WorkspaceId(value);
    }

    @Override
    public int compareTo(WorkspaceId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
