package dev.agentmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.jdbc.PooledDataSource;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An update and a read through HTTP send the database exactly the statements the same call through the embedded
 * library sends, once the key is verified (within its recheck interval): the server adds no store, memory or key
 * lookup of its own to a request. The rate limit is off here; with it on, a PostgreSQL server also leases tokens from
 * the database, once per chunk of requests (see docs/server.md, "Limits").
 */
class HttpRoundTripsTest {

    @TempDir
    Path dir;

    @Test
    void onSqlite() throws Exception {
        try (PooledDataSource pool = JdbcBackend.sqliteDataSource(dir.resolve("memory.db"))) {
            sameStatementsAsTheLibrary(pool, Dialect.SQLITE);
        }
    }

    @Test
    void onPostgresql() throws Exception {
        String url = ServerProcess.postgresUrl();
        String schema = "http_round_trips_" + UUID.randomUUID().toString().replace("-", "");
        execute(url, "CREATE SCHEMA " + schema);
        try {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            sameStatementsAsTheLibrary(pg, Dialect.POSTGRESQL);
        } finally {
            execute(url, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void sameStatementsAsTheLibrary(DataSource real, Dialect dialect) throws Exception {
        RecordingDataSource recording = new RecordingDataSource(real);
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.builder().dataSource(recording)
                .dialect(dialect).closeDataSource(false).build()).build();
                ServerDatabase db = ServerDatabase.over(memory, recording, dialect);
                MemoryServer server = MemoryServer.builder(db).port(0).rateLimit(0, 1)
                        .keyRecheck(Duration.ofHours(1)).build().start()) {
            NewApiKey key = db.apiKeys().create(WorkspaceId.of("acme"), "round trips");
            StoreId store = memory.workspace("acme").stores().create(NewStore.named("trips").build()).id();
            Memories library = memory.workspace("acme").memories(store, Actor.apiKey(key.key().id()));
            Memory doc = library.create("/notes/a.md", "zero");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create(server.uri() + "/v1/memory_stores/" + store.value() + "/memories/" + doc.id().value());

            // warm up: the key's one verification, and one update by each path
            update(http, uri, key, "one");
            library.update(doc.id(), MemoryUpdate.content("two"));

            recording.sql.clear();
            library.update(doc.id(), MemoryUpdate.content("three"));
            List<String> libraryUpdate = recording.drain();
            recording.sql.clear();
            update(http, uri, key, "four");
            List<String> httpUpdate = recording.drain();
            assertThat(libraryUpdate).as("the library's update sends statements").isNotEmpty();
            assertThat(httpUpdate).as("statements of an update through HTTP").isEqualTo(libraryUpdate);

            library.get(doc.id());
            recording.sql.clear();
            Memory read = library.get(doc.id());
            List<String> libraryRead = recording.drain();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("x-api-key", key.secret()).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> httpRead = recording.drain();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"content\":\"four\"", read.headVersionId().value());
            assertThat(httpRead).as("statements of a read through HTTP").isEqualTo(libraryRead);

            // The handle the server kept answers as a new one would once the store is gone: 404, nothing written.
            memory.workspace("acme").stores().delete(store);
            HttpResponse<String> gone = http.send(HttpRequest.newBuilder(uri).header("x-api-key", key.secret())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(gone.statusCode()).as(gone.body()).isEqualTo(404);
            assertThat(gone.body()).contains("not_found_error");
            HttpResponse<String> write = http.send(HttpRequest.newBuilder(uri).header("x-api-key", key.secret())
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"five\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(write.statusCode()).as(write.body()).isEqualTo(404);
            assertThat(memory.workspace("acme").stores().list(dev.agentmemory.model.StoreQuery.builder()
                    .includeArchived(true).build()).items()).isEmpty();
        }
    }

    private static void update(HttpClient http, URI uri, NewApiKey key, String content) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("x-api-key", key.secret())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"" + content + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"memory_version_id\"");
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Records every SQL text a connection prepares or a plain statement executes. */
    static final class RecordingDataSource implements DataSource {
        final List<String> sql = new CopyOnWriteArrayList<>();
        private final DataSource real;

        RecordingDataSource(DataSource real) {
            this.real = real;
        }

        /** @return what was recorded since the last drain */
        List<String> drain() {
            List<String> out = new ArrayList<>(sql);
            sql.clear();
            return out;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return record(real.getConnection());
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return record(real.getConnection(user, password));
        }

        private Connection record(Connection c) {
            InvocationHandler h = (proxy, method, args) -> {
                String name = method.getName();
                if ((name.equals("prepareStatement") || name.equals("prepareCall")) && args[0] instanceof String s) {
                    sql.add(s);
                }
                Object result = invoke(method, c, args);
                if (name.equals("createStatement") && result instanceof Statement st) {
                    return recordStatement(st);
                }
                return result;
            };
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, h);
        }

        private Statement recordStatement(Statement st) {
            InvocationHandler h = (proxy, method, args) -> {
                if (method.getName().startsWith("execute") || method.getName().equals("addBatch")) {
                    if (args != null && args.length > 0 && args[0] instanceof String s) {
                        sql.add(s);
                    }
                }
                return invoke(method, st, args);
            };
            return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(),
                    new Class<?>[] {Statement.class}, h);
        }

        private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return real.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            real.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            real.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return real.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return real.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return real.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return real.isWrapperFor(iface);
        }
    }
}
