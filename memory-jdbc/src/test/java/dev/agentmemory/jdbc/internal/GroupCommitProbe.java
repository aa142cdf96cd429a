package dev.agentmemory.jdbc.internal;

import dev.agentmemory.spi.MemoryBackend;

/** Lets the JDBC backend's tests see how many commits were written in groups. */
public final class GroupCommitProbe {

    private GroupCommitProbe() {
    }

    /**
     * @param backend a JDBC backend
     * @return how many of its commits were written as members of a group so far
     */
    public static long groupedCommits(MemoryBackend backend) {
        return ((SqlBackend) backend).groupedCommits();
    }
}
