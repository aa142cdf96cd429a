package dev.agentmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.spring.boot.autoconfigure.AgentMemoryAutoConfiguration;
import dev.agentmemory.spring.boot.autoconfigure.AgentMemoryHealthAutoConfiguration;
import dev.agentmemory.spring.boot.autoconfigure.AgentMemoryMetricsAutoConfiguration;
import dev.agentmemory.spring.boot.autoconfigure.AgentMemoryRetentionAutoConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The backend from {@code agent-memory.*} properties alone, and the settings the starter refuses. */
class PropertiesBackendTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner app = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                    AgentMemoryAutoConfiguration.class, AgentMemoryMetricsAutoConfiguration.class,
                    AgentMemoryHealthAutoConfiguration.class, AgentMemoryRetentionAutoConfiguration.class));

    @Test
    void aSqlitePathOpensThatFileAndItOutlivesTheContext() {
        Path db = dir.resolve("data/memory.db");
        app.withPropertyValues("agent-memory.sqlite.path=" + db).run(ctx -> {
            AgentMemory memory = ctx.getBean(AgentMemory.class);
            MemoryStore s = memory.workspace("acme").stores().create(NewStore.named("Notes").build());
            memory.workspace("acme").memories(s.id(), Actor.user("u")).create("/a.md", "kept");
        });
        assertThat(db).isRegularFile();
        app.withPropertyValues("agent-memory.sqlite.path=" + db).run(ctx -> {
            AgentMemory memory = ctx.getBean(AgentMemory.class);
            MemoryStore s = memory.workspace("acme").stores().list(StoreQuery.firstPage()).items().get(0);
            assertThat(memory.workspace("acme").memories(s.id(), Actor.user("u")).getByPath("/a.md").content())
                    .contains("kept");
        });
    }

    @Test
    void aSqlitePathWinsOverTheApplicationsDataSourceUnderAuto() throws Exception {
        Path db = dir.resolve("memory.db");
        app.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("agent-memory.sqlite.path=" + db,
                        "spring.datasource.url=" + TestDatabases.sqliteUrl(dir))
                .run(ctx -> {
                    AgentMemory memory = ctx.getBean(AgentMemory.class);
                    memory.workspace("acme").stores().create(NewStore.named("Notes").build());
                    try (var c = ctx.getBean(DataSource.class).getConnection()) {
                        assertThat(c.getMetaData().getTables(null, null, "am_store", null).next()).isFalse();
                    }
                });
        assertThat(Files.size(db)).isPositive();
    }

    @Test
    void inMemoryNeedsNoDatabase() {
        app.withPropertyValues("agent-memory.backend=in-memory").run(ctx -> {
            AgentMemory memory = ctx.getBean(AgentMemory.class);
            memory.workspace("acme").stores().create(NewStore.named("Notes").build());
            assertThat(memory.workspace("acme").stores().list(StoreQuery.firstPage()).items()).hasSize(1);
            assertThat(ctx).hasSingleBean(AgentMemoryHealthIndicator.class).doesNotHaveBean(RetentionJob.class)
                    .doesNotHaveBean(AgentMemoryMetrics.class);
        });
    }

    @Test
    void nowhereToKeepMemoriesFailsStartupSayingWhatToSet() {
        app.run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
                .hasMessageContaining("agent-memory.sqlite.path").hasMessageContaining("agent-memory.backend=in-memory"));
    }

    @Test
    void aDataSourceOfAnUnsupportedDatabaseFailsStartupNamingIt() {
        app.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:app")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("DataSource is H2").hasMessageContaining("agent-memory.sqlite.path"));
    }

    @Test
    void withoutMigrationAnEmptyDatabaseFailsStartupAndAMigratedOneOpens() {
        String url = TestDatabases.sqliteUrl(dir);
        ApplicationContextRunner onDataSource = app.withConfiguration(
                AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url);
        onDataSource.withPropertyValues("agent-memory.jdbc.migrate=false")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
                        .isInstanceOf(dev.agentmemory.jdbc.SchemaException.class));
        onDataSource.run(ctx -> assertThat(ctx).hasNotFailed());
        onDataSource.withPropertyValues("agent-memory.jdbc.migrate=false", "agent-memory.jdbc.dialect=sqlite",
                "agent-memory.jdbc.cache-size=0").run(ctx -> {
                    AgentMemory memory = ctx.getBean(AgentMemory.class);
                    MemoryStore s = memory.workspace("acme").stores().create(NewStore.named("Notes").build());
                    assertThat(memory.workspace("acme").stores().get(s.id()).name()).isEqualTo("Notes");
                });
    }

    @Test
    void anUnknownBackendTypeFailsStartup() {
        app.withPropertyValues("agent-memory.backend=mongo").run(ctx -> assertThat(ctx).hasFailed()
                .getFailure().hasMessageContaining("prefix=agent-memory").rootCause().hasMessageContaining("mongo"));
    }

    @Test
    void retentionWithoutWorkspacesOrWithABadCronFailsStartup() {
        app.withPropertyValues("agent-memory.backend=in-memory", "agent-memory.retention.enabled=true")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("agent-memory.retention.workspaces is empty"));
        app.withPropertyValues("agent-memory.backend=in-memory", "agent-memory.retention.enabled=true",
                "agent-memory.retention.workspaces=acme", "agent-memory.retention.cron=every day")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("agent-memory.retention.cron is not a valid cron expression"));
    }

    @Test
    void retentionIsOffByDefaultAndUsesTheLibrarysPolicyWhenOnlyEnabled() {
        app.withPropertyValues("agent-memory.backend=in-memory").run(ctx ->
                assertThat(ctx).doesNotHaveBean(RetentionJob.class));
        app.withPropertyValues("agent-memory.backend=in-memory", "agent-memory.retention.enabled=true",
                "agent-memory.retention.workspaces=acme").run(ctx -> {
                    RetentionJob job = ctx.getBean(RetentionJob.class);
                    assertThat(job.policy()).isEqualTo(ctx.getBean(AgentMemory.class).limits().retention());
                    assertThat(job.workspaces()).containsExactly("acme");
                    assertThat(job.run()).hasValueSatisfying(r -> assertThat(r.storesPurged()).isZero());
                });
    }

    @Test
    void theHealthIndicatorCanBeTurnedOff() {
        app.withPropertyValues("agent-memory.backend=in-memory", "management.health.agentmemory.enabled=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(AgentMemoryHealthIndicator.class));
    }
}
