package dev.agentmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spring.boot.autoconfigure.AgentMemoryAutoConfiguration;
import dev.agentmemory.spring.boot.autoconfigure.AgentMemoryHealthAutoConfiguration;
import dev.agentmemory.spring.boot.autoconfigure.AgentMemoryMetricsAutoConfiguration;
import dev.agentmemory.spring.boot.autoconfigure.AgentMemoryRetentionAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter in a real application context on a real database, as an application configures it: the database comes
 * from {@code spring.datasource.url} (Spring Boot's own pool), actuator's metrics are on. Each database runs these
 * scenarios through a subclass.
 */
abstract class AbstractStarterScenarios {

    /**
     * Returns the JDBC URL of a new, empty database for one test.
     *
     * @return the URL
     */
    abstract String newDatabaseUrl();

    ApplicationContextRunner app(String url) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                        AgentMemoryAutoConfiguration.class, AgentMemoryMetricsAutoConfiguration.class,
                        AgentMemoryHealthAutoConfiguration.class, AgentMemoryRetentionAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url, "agent-memory.jdbc.retry-budget=2s");
    }

    @Test
    void memoriesGoToTheApplicationsDataSourceAndOutliveTheContext() {
        String url = newDatabaseUrl();
        String[] storeId = new String[1];
        app(url).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(AgentMemory.class);
            AgentMemory memory = ctx.getBean(AgentMemory.class);
            MemoryStore store = memory.workspace("acme").stores().create(NewStore.named("Notes").build());
            memory.workspace("acme").memories(store.id(), Actor.user("alice")).create("/build.md", "mvn verify");
            storeId[0] = store.id().value();
            try (Connection c = ctx.getBean(DataSource.class).getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM am_store")) {
                rs.next();
                assertThat(rs.getLong(1)).as("stores in the application's database").isEqualTo(1);
            }
        });
        app(url).run(ctx -> {
            AgentMemory memory = ctx.getBean(AgentMemory.class);
            MemoryStore store = memory.workspace("acme").stores().get(dev.agentmemory.model.StoreId.of(storeId[0]));
            assertThat(memory.workspace("acme").memories(store.id(), Actor.user("bob")).getByPath("/build.md")
                    .content()).contains("mvn verify");
        });
    }

    @Test
    void healthIsUpThenDownWhenTheDatabaseGoesAway() {
        app(newDatabaseUrl()).run(ctx -> {
            AgentMemoryHealthIndicator health = ctx.getBean("agentMemoryHealthIndicator",
                    AgentMemoryHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            ctx.getBean(HikariDataSource.class).close();

            var down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsKey("error");
        });
    }

    @Test
    void realWritesAndRealConflictsAreCounted() {
        app(newDatabaseUrl()).run(ctx -> {
            MeterRegistry meters = ctx.getBean(MeterRegistry.class);
            AgentMemory memory = ctx.getBean(AgentMemory.class);
            MemoryStore store = memory.workspace("acme").stores().create(NewStore.named("Notes").build());
            Memories notes = memory.workspace("acme").memories(store.id(), Actor.user("alice"));

            Memory m = notes.create("/a", "one");
            notes.update(m.id(), MemoryUpdate.content("two"));
            assertThatThrownBy(() -> notes.update(m.id(), MemoryUpdate.content("three")
                    .ifContentSha256(m.contentSha256()))).isInstanceOf(PreconditionFailedException.class);
            assertThatThrownBy(() -> notes.create("/a/b", "under a file"))
                    .isInstanceOf(PathConflictException.class);

            assertThat(meters.get(AgentMemoryMetrics.WRITES).tags("operation", "create", "outcome", "committed")
                    .timer().count()).isEqualTo(1);
            assertThat(meters.get(AgentMemoryMetrics.WRITES).tags("operation", "update", "outcome", "committed")
                    .timer().count()).isEqualTo(1);
            assertThat(meters.get(AgentMemoryMetrics.WRITES).tags("operation", "update", "outcome", "failed",
                    "exception", "PreconditionFailedException").timer().count()).isEqualTo(1);
            assertThat(meters.get(AgentMemoryMetrics.WRITES).tag("outcome", "committed").timer().totalTime(
                    java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
            assertThat(meters.get(AgentMemoryMetrics.CONFLICTS).tags("operation", "update", "kind", "precondition")
                    .counter().count()).isEqualTo(1);
            assertThat(meters.get(AgentMemoryMetrics.CONFLICTS).tags("operation", "create", "kind", "path")
                    .counter().count()).isEqualTo(1);
            assertThat(meters.find(AgentMemoryMetrics.WRITES).timers())
                    .as("no meter is tagged with a path or an id")
                    .allSatisfy(t -> assertThat(t.getId().getTags().toString()).doesNotContain("/a", "memstore_"));
        });
    }

    @Test
    void theRetentionScheduleRunsAndPurgesOldVersions() {
        app(newDatabaseUrl())
                .withPropertyValues("agent-memory.retention.enabled=true", "agent-memory.retention.cron=* * * * * *",
                        "agent-memory.retention.workspaces=acme,other", "agent-memory.retention.window=0s",
                        "agent-memory.retention.keep-per-memory=0")
                .run(ctx -> {
                    AgentMemory memory = ctx.getBean(AgentMemory.class);
                    MemoryStore store = memory.workspace("acme").stores().create(NewStore.named("Notes").build());
                    Memories notes = memory.workspace("acme").memories(store.id(), Actor.user("alice"));
                    Memory m = notes.create("/a.md", "v1");
                    notes.update(m.id(), MemoryUpdate.content("v2"));
                    Memory head = notes.update(m.id(), MemoryUpdate.content("v3"));
                    assertThat(notes.versions(VersionQuery.ofMemory(m.id()).build()).items()).hasSize(3);

                    RetentionJob job = ctx.getBean(RetentionJob.class);
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    MeterRegistry meters = ctx.getBean(MeterRegistry.class);
                    // The purge commits before its run ends: the report and the meter follow a moment later.
                    while ((notes.versions(VersionQuery.ofMemory(m.id()).build()).items().size() > 1
                            || job.lastReport().isEmpty()
                            || meters.find(AgentMemoryMetrics.WRITES)
                                    .tags("operation", "retention purge", "outcome", "committed").timer() == null)
                            && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertThat(notes.versions(VersionQuery.ofMemory(m.id()).build()).items())
                            .as("only the head is left after a scheduled run").singleElement()
                            .satisfies(v -> assertThat(v.id()).isEqualTo(head.headVersionId()));
                    assertThat(job.lastReport()).hasValueSatisfying(r -> assertThat(r.storesFailed()).isZero());
                    assertThat(meters.get(AgentMemoryMetrics.WRITES)
                            .tags("operation", "retention purge", "outcome", "committed").timer().count())
                            .isPositive();
                });
    }

    @Test
    void anAgentMemoryOfTheApplicationsOwnWinsAndKeepsHealthAndMeters() {
        app(newDatabaseUrl()).withUserConfiguration(OwnMemory.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(AgentMemory.class);
            AgentMemory memory = ctx.getBean(AgentMemory.class);
            assertThat(memory).isSameAs(ctx.getBean("ownMemory"));
            MemoryStore store = memory.workspace("w").stores().create(NewStore.named("S").build());
            memory.workspace("w").memories(store.id(), Actor.user("u")).create("/x.md", "x");

            assertThat(ctx.getBean(AgentMemoryHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
            assertThat(ctx.getBean(MeterRegistry.class).get(AgentMemoryMetrics.WRITES).tag("operation", "create")
                    .timer().count()).isEqualTo(1);
            try (Connection c = ctx.getBean(DataSource.class).getConnection()) {
                assertThat(c.getMetaData().getTables(null, c.getSchema(), "am_store", null).next())
                        .as("the starter did not open the DataSource for memories").isFalse();
            }
        });
    }

    @Test
    void concurrentWritersAreEachCountedOnceWithTheirRetries() {
        app(newDatabaseUrl()).withUserConfiguration(AttemptCounter.class).run(ctx -> {
            AgentMemory memory = ctx.getBean(AgentMemory.class);
            MemoryStore store = memory.workspace("acme").stores().create(NewStore.named("Shared").build());
            int threads = 4;
            int each = 15;
            var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                var start = new java.util.concurrent.CountDownLatch(1);
                var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        Memories notes = memory.workspace("acme").memories(store.id(), Actor.user("u" + thread));
                        for (int i = 0; i < each; i++) {
                            notes.create("/t" + thread + "/" + i + ".md", "x");
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (var f : futures) {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            MeterRegistry meters = ctx.getBean(MeterRegistry.class);
            AttemptCounter counter = ctx.getBean(AttemptCounter.class);
            assertThat(meters.get(AgentMemoryMetrics.WRITES).tags("operation", "create", "outcome", "committed")
                    .timer().count()).isEqualTo(threads * each);
            assertThat(counter.events.get()).as("every WriteListener bean is told").isEqualTo(threads * each);
            double retries = meters.find(AgentMemoryMetrics.RETRIES).counters().stream()
                    .mapToDouble(c -> c.count()).sum();
            assertThat(retries).as("the retries meter adds up every write's extra attempts")
                    .isEqualTo(counter.extraAttempts.get());
        });
    }

    /** A second write listener of the application's, told about the same writes as the meters. */
    @Configuration(proxyBeanMethods = false)
    static class AttemptCounter implements dev.agentmemory.model.WriteListener {
        final java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong extraAttempts = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public void onWrite(dev.agentmemory.model.WriteEvent event) {
            events.incrementAndGet();
            extraAttempts.addAndGet(event.attempts() - 1);
        }
    }

    /** An application that builds its memory itself, in memory, passing the starter's meters to it. */
    @Configuration(proxyBeanMethods = false)
    static class OwnMemory {
        @Bean
        AgentMemory ownMemory(AgentMemoryMetrics metrics) {
            return AgentMemory.builder().backend(InMemoryBackend.create()).writeListener(metrics).build();
        }
    }
}
