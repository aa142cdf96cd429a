package dev.agentmemory.jdbc;

/**
 * {@link AbstractCrashTest} on one SQLite file; after every round the file must also pass
 * {@code PRAGMA integrity_check}.
 */
class SqliteCrashTest extends AbstractCrashTest {

    @Override
    protected String newDatabase() {
        return ChildSupport.sqlite(dir.resolve("crash.db"));
    }

    @Override
    protected void checkDatabase(String location) throws Exception {
        SqliteIntegrity.assertIntact(dir.resolve("crash.db"));
    }
}
