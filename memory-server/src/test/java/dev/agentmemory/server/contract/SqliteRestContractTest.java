package dev.agentmemory.server.contract;

/** The REST contract groups on a fresh SQLite file per test. */
class SqliteRestContractTest extends RestContract {

    @Override
    RestSurface newSurface() {
        return RestSurface.sqlite();
    }
}
