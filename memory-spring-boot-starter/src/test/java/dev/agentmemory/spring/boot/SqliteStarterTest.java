package dev.agentmemory.spring.boot;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The starter's scenarios on a SQLite file given as the application's {@code spring.datasource.url}. */
class SqliteStarterTest extends AbstractStarterScenarios {

    @TempDir
    Path dir;

    @Override
    String newDatabaseUrl() {
        return TestDatabases.sqliteUrl(dir);
    }
}
