package dev.agentmemory.spring.boot;

import dev.agentmemory.spring.boot.app.MemoryApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The application on a SQLite file named by {@code agent-memory.sqlite.path}, without a DataSource of its own. */
@SpringBootTest(classes = MemoryApplication.class, properties = {
    "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "management.endpoints.web.exposure.include=health"})
class SqliteApplicationTest extends AbstractApplicationTest {

    private static Path file;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        file = Files.createTempDirectory("agent-memory-spring").resolve("memory.db");
        registry.add("agent-memory.sqlite.path", file::toString);
    }

    @Override
    String databaseUrl() {
        return "jdbc:sqlite:" + file;
    }
}
