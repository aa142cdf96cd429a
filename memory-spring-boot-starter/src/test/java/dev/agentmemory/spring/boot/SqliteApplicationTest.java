package dev.agentmemory.spring.boot;

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

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("agent-memory-spring");
        registry.add("agent-memory.sqlite.path", () -> dir.resolve("memory.db").toString());
    }
}
