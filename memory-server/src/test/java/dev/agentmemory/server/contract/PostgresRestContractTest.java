package dev.agentmemory.server.contract;

import dev.agentmemory.server.ServerProcessAccess;

/**
 * The REST contract groups on a fresh PostgreSQL schema per test ({@code AGENT_MEMORY_PG_URL}; skipped without it,
 * failed in CI).
 */
class PostgresRestContractTest extends RestContract {

    @Override
    RestSurface newSurface() {
        return RestSurface.postgres(ServerProcessAccess.postgresUrl());
    }
}
