package dev.agentmemory.spring.boot;

import dev.agentmemory.spring.boot.app.MemoryApplication;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application on PostgreSQL through its own {@code spring.datasource.url}; skipped without
 * {@code AGENT_MEMORY_PG_URL}, failed in CI.
 */
@SpringBootTest(classes = MemoryApplication.class, properties = "management.endpoints.web.exposure.include=health")
class PostgresApplicationTest extends AbstractApplicationTest {

    @BeforeAll
    static void server() {
        TestDatabases.requirePostgres();
    }

    private static String url;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        url = TestDatabases.newPostgresSchema();
        registry.add("spring.datasource.url", () -> url);
    }

    @Override
    String databaseUrl() {
        return url;
    }
}
