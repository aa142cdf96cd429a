package dev.agentmemory.server.contract;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.jdbc.PooledDataSource;
import dev.agentmemory.server.MemoryServer;
import dev.agentmemory.server.ServerDatabase;
import dev.agentmemory.server.internal.KeyHashing;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.Capabilities;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One contract test's database, server and client: a fresh SQLite file or PostgreSQL schema for the backend the suite
 * opens; on the first {@link #wrap}, a {@link MemoryServer} on 127.0.0.1 serving the suite's own library (so its clock
 * and limits hold), a real API key whose id is the suite's operator, and an official SDK client with that key.
 */
final class RestSurface implements BackendFixture {

    /** The operator's key id, as the contract suite writes it. */
    static final String OPERATOR_KEY_ID = "apikey_operator000000000000";
    private static final String OPERATOR_SECRET = "amk_operator000000000000_" + UUID.randomUUID();

    private final Dialect dialect;
    private final String postgresUrl;
    private final Path dir;
    private final java.util.List<Runnable> closers = new java.util.ArrayList<>();
    private DataSource dataSource;
    private ServerDatabase db;
    private MemoryServer server;
    private AnthropicClient client;

    private RestSurface(Dialect dialect, String postgresUrl) {
        this.dialect = dialect;
        this.postgresUrl = postgresUrl;
        try {
            this.dir = Files.createTempDirectory("rest-contract");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RestSurface sqlite() {
        return new RestSurface(Dialect.SQLITE, "");
    }

    static RestSurface postgres(String url) {
        return new RestSurface(Dialect.POSTGRESQL, url);
    }

    @Override
    public MemoryBackend open() {
        // The first backend is the one the server serves; a test that opens more (small limits, a second workspace
        // home) gets each on its own database, read directly.
        DataSource ds;
        if (dialect == Dialect.SQLITE) {
            PooledDataSource pooled = JdbcBackend.sqliteDataSource(dir.resolve("memory-" + closers.size() + ".db"));
            closers.add(pooled::close);
            ds = pooled;
        } else {
            String name = "rest_contract_" + UUID.randomUUID().toString().replace("-", "");
            execute(postgresUrl, "CREATE SCHEMA " + name);
            closers.add(() -> execute(postgresUrl, "DROP SCHEMA IF EXISTS " + name + " CASCADE"));
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + "currentSchema=" + name);
            ds = pg;
        }
        if (dataSource == null) {
            dataSource = ds;
        }
        return JdbcBackend.builder().dataSource(ds).dialect(dialect).closeDataSource(false).build();
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(0.1);
    }

    /**
     * Returns a REST client for the store of a handle, starting the server on the first call.
     *
     * @param memory the suite's library, open on this surface's backend
     * @param direct the library's own handle, acting as the operator
     * @return the same store and actor, over HTTP
     */
    Memories wrap(AgentMemory memory, Memories direct) {
        if (!direct.actor().id().equals(OPERATOR_KEY_ID)) {
            throw new IllegalStateException("the REST surface acts only as the suite's operator");
        }
        if (server == null) {
            db = ServerDatabase.over(memory, dataSource, dialect);
            insertOperatorKey();
            server = MemoryServer.builder(db).host("127.0.0.1").port(0).rateLimit(0, 1).build().start();
            client = AnthropicOkHttpClient.builder().baseUrl(server.uri().toString()).apiKey(OPERATOR_SECRET)
                    .maxRetries(0).build();
        }
        return new RestMemories(client, direct.storeId(), direct.actor());
    }

    /** A key row as {@code memctl keys create} writes one, with a fixed id and few iterations to keep tests fast. */
    private void insertOperatorKey() {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        int iterations = 1_000;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO agent_memory_server_api_keys (id, workspace_id, name, algorithm, iterations, salt, hash,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, OPERATOR_KEY_ID);
            ps.setString(2, "acme");
            ps.setString(3, "contract operator");
            ps.setString(4, KeyHashing.ALGORITHM);
            ps.setInt(5, iterations);
            ps.setString(6, Base64.getEncoder().encodeToString(salt));
            ps.setString(7, KeyHashing.pbkdf2(OPERATOR_SECRET, salt, iterations));
            ps.setLong(8, 0L);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot add the operator's key", e);
        }
    }

    @Override
    public void close() {
        try {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
            if (db != null) {
                db.close();
            }
        } finally {
            closers.forEach(Runnable::run);
            deleteTree(dir);
        }
    }

    private static void execute(String url, String sql) {
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
