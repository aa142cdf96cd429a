package dev.agentmemory.server;

/** Lets tests in other packages find the PostgreSQL test server the way {@link ServerProcess} does. */
public final class ServerProcessAccess {

    private ServerProcessAccess() {
    }

    /** @return {@code AGENT_MEMORY_PG_URL}; skips the test without it, fails it in CI */
    public static String postgresUrl() {
        return ServerProcess.postgresUrl();
    }
}
