package dev.agentmemory.jdbc;

/** {@link AbstractMultiProcessTest} through one SQLite file, checked with {@code PRAGMA integrity_check} at the end. */
class SqliteMultiProcessTest extends AbstractMultiProcessTest {

    @Override
    protected String newDatabase() {
        return ChildSupport.sqlite(dir.resolve("race.db"));
    }

    @Override
    protected void checkDatabase(String location) throws Exception {
        SqliteIntegrity.assertIntact(dir.resolve("race.db"));
    }

    @Override
    protected int defaultWritesPerThread() {
        return 250;
    }
}
