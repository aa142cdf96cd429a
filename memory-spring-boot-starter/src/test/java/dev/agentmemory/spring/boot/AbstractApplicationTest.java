package dev.agentmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;

/**
 * A whole Spring Boot application started by {@code @SpringBootTest}, with actuator, configured only by properties.
 * Subclasses say which database.
 */
abstract class AbstractApplicationTest {

    @Autowired
    AgentMemory memory;

    @Autowired
    HealthEndpoint health;

    @Autowired
    MeterRegistry meters;

    /**
     * Returns a JDBC URL of the database the application was configured with, to look at it from outside.
     *
     * @return the URL
     */
    abstract String databaseUrl();

    long storesInDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(databaseUrl()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM am_store")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theApplicationWritesReportsHealthAndCountsConflicts() throws SQLException {
        long before = storesInDatabase();
        MemoryStore store = memory.workspace("acme").stores().create(NewStore.named("Notes").build());
        Memories notes = memory.workspace("acme").memories(store.id(), Actor.user("alice"));
        Memory m = notes.create("/a.md", "one");
        notes.update(m.id(), MemoryUpdate.content("two"));
        assertThatThrownBy(() -> notes.update(m.id(), MemoryUpdate.content("x").ifContentSha256(m.contentSha256())))
                .isInstanceOf(PreconditionFailedException.class);

        assertThat(storesInDatabase()).as("the store is in the configured database").isEqualTo(before + 1);
        assertThat(health.healthForPath("agentMemory").getStatus()).isEqualTo(Status.UP);
        assertThat(meters.get(AgentMemoryMetrics.CONFLICTS).tag("kind", "precondition").counter().count())
                .isEqualTo(1);
        assertThat(meters.get(AgentMemoryMetrics.WRITES).tag("outcome", "committed").timers().stream()
                .mapToLong(t -> t.count()).sum()).isEqualTo(2);
    }
}
