package dev.agentmemory.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link AbstractCrashTest} on one schema of the PostgreSQL test server. */
class PostgresCrashTest extends AbstractCrashTest {

    private PostgresFixture fixture;

    @BeforeEach
    void server() {
        fixture = new PostgresFixture();
    }

    @AfterEach
    void dropSchemas() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Override
    protected String newDatabase() {
        return fixture.newSchemaUrl();
    }
}
