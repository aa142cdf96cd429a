package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.server.internal.ServerSchema;
import dev.agentmemory.server.internal.SharedRateWindow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A key's rate limit across servers on one PostgreSQL: two windows on one settable clock, as two servers would lease
 * from the same rows, admit exactly the budget between them in a window and again in the next; two real servers on
 * the same database refuse a key's burst that each alone would have admitted.
 */
class SharedRateLimitTest {

    String url;
    String schemaUrl;
    String schema;

    @BeforeEach
    void schema() throws Exception {
        url = ServerProcess.postgresUrl();
        schema = "rate_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @AfterEach
    void drop() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void twoServersTogetherAdmitExactlyTheBudgetOfAWindow() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(schemaUrl);
        ServerSchema.migrate(ds, Dialect.POSTGRESQL);
        AtomicLong millis = new AtomicLong(1_700_000_000_000L);
        SharedRateWindow a = new SharedRateWindow(ds, 25, millis::get);
        SharedRateWindow b = new SharedRateWindow(ds, 25, millis::get);
        for (int window = 0; window < 3; window++) {
            int admitted = 0;
            int refusedA = 0;
            int refusedB = 0;
            for (int i = 0; i < 100; i++) {
                if (a.acquire("apikey_k") == 0) {
                    admitted++;
                } else {
                    refusedA++;
                }
                if (b.acquire("apikey_k") == 0) {
                    admitted++;
                } else {
                    refusedB++;
                }
            }
            assertThat(admitted).as("window %d: the budget, across both servers", window).isEqualTo(25);
            assertThat(refusedA).isPositive();
            assertThat(refusedB).isPositive();
            assertThat(a.acquire("apikey_other")).as("another key has its own budget").isZero();
            millis.addAndGet(1000);
        }
    }

    @Test
    void twoRealServersShareAKeysBudget() throws Exception {
        int rate = 10;
        try (ServerDatabase dbA = ServerDatabase.postgres(schemaUrl, "", "", 4);
                ServerDatabase dbB = ServerDatabase.postgres(schemaUrl, "", "", 4)) {
            NewApiKey key = dbA.apiKeys().create(WorkspaceId.of("acme"), "rate");
            // each server alone would admit a burst of 50 at once
            try (MemoryServer a = MemoryServer.builder(dbA).port(0).rateLimit(rate, 50).build().start();
                    MemoryServer b = MemoryServer.builder(dbB).port(0).rateLimit(rate, 50).build().start()) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<Integer> statuses = new ArrayList<>();
                long start = System.currentTimeMillis();
                for (int i = 0; i < 60; i++) {
                    MemoryServer s = i % 2 == 0 ? a : b;
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.uri()
                            + "/v1/memory_stores")).header("x-api-key", key.secret()).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 429) {
                        assertThat(r.headers().firstValue("retry-after")).isPresent();
                        assertThat(r.body()).contains("rate_limit_error");
                    }
                }
                long end = System.currentTimeMillis();
                long windows = end / 1000 - start / 1000 + 1;
                long admitted = statuses.stream().filter(st -> st == 200).count();
                assertThat(statuses).containsOnly(200, 429);
                assertThat(admitted).as("at most %d a second across both servers, over %d windows", rate, windows)
                        .isLessThanOrEqualTo(rate * windows).isPositive();
                assertThat(statuses).as("the burst each server would have admitted alone is refused").contains(429);
            }
        }
    }
}
