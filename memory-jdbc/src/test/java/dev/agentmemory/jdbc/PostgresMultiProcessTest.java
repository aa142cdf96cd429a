package dev.agentmemory.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link AbstractMultiProcessTest} through one schema of the PostgreSQL test server. */
class PostgresMultiProcessTest extends AbstractMultiProcessTest {

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

    @Override
    protected int defaultWritesPerThread() {
        return 150;
    }
}
