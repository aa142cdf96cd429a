package dev.agentmemory.server;

import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.server.internal.HttpFront;
import dev.agentmemory.server.internal.JsonErrorHandler;
import dev.agentmemory.server.internal.McpGate;
import dev.agentmemory.server.internal.Metrics;
import dev.agentmemory.server.internal.RateLimiter;
import dev.agentmemory.server.internal.RestApi;
import dev.agentmemory.server.internal.SharedRateWindow;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosted memory-store REST API on a {@link ServerDatabase}: {@code /v1/memory_stores/...} with the hosted paths,
 * JSON shapes, status codes and error types, so that the official Anthropic SDKs work against it with only their base
 * URL changed; a subset of {@code /v1/sessions}; an MCP endpoint at {@code /mcp} (Streamable HTTP) acting for the
 * session named by {@code x-agent-memory-session-id}; {@code /healthz}, {@code /readyz} and {@code /metrics}.
 *
 * <pre>{@code
 * try (ServerDatabase db = ServerDatabase.sqlite(Path.of("memory.db"));
 *         MemoryServer server = MemoryServer.builder(db).port(8080).build().start()) {
 *     server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Closing stops accepting requests, lets the ones in flight finish (up to the stop timeout), then stops; the
 * database stays open for its owner to close. Thread-safe.
 */
public final class MemoryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryServer.class);

    private final Server jetty;
    private final ServerConnector connector;
    private final AtomicBoolean stopping = new AtomicBoolean();

    private MemoryServer(Builder b) {
        QueuedThreadPool threads = new QueuedThreadPool(b.maxThreads, Math.min(8, b.maxThreads));
        threads.setName("memory-server");
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setIdleTimeout(30_000);
        jetty.addConnector(connector);
        Metrics metrics = new Metrics();
        // On PostgreSQL, where several servers may share the database, a key's rate also holds across them.
        Optional<SharedRateWindow> shared = b.db.dialect() == Dialect.POSTGRESQL && b.ratePerSecond > 0
                ? Optional.of(new SharedRateWindow(b.db.dataSource(), (long) Math.ceil(b.ratePerSecond),
                        System::currentTimeMillis))
                : Optional.empty();
        RateLimiter limiter = new RateLimiter(b.ratePerSecond, b.rateBurst, System::nanoTime, shared);
        ApiKeys keys = b.db.apiKeys().recheckingEvery(b.keyRecheck, System::nanoTime);
        HttpFront front = new HttpFront(new RestApi(b.db.memory()), keys, limiter, metrics,
                b.maxBodyBytes, () -> !stopping.get() && b.db.isReachable());
        String version = java.util.Objects.requireNonNullElse(MemoryServer.class.getPackage().getImplementationVersion(),
                "dev");
        jetty.setHandler(new GracefulHandler(new Handler.Sequence(
                new McpGate(keys, b.db.memory(), version), front)));
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setStopTimeout(b.stopTimeout.toMillis());
        jetty.setStopAtShutdown(false);
    }

    /**
     * Starts building a server on a database.
     *
     * @param db the database; the server does not close it
     * @return a builder
     */
    public static Builder builder(ServerDatabase db) {
        return new Builder(db);
    }

    /**
     * Starts listening.
     *
     * @return this server
     * @throws IllegalStateException if the port cannot be bound
     */
    public MemoryServer start() {
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the server on " + connector.getHost() + ":"
                    + connector.getPort() + ": " + e.getMessage(), e);
        }
        LOG.info("memory-server listening on {}", uri());
        return this;
    }

    /** @return the port listened on (the one chosen, if 0 was asked for) */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return the base URL clients use, for example {@code http://127.0.0.1:8080} */
    public URI uri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /**
     * Blocks until the server has stopped.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitStop() throws InterruptedException {
        jetty.join();
    }

    /**
     * Stops gracefully: readiness turns false, new requests are refused with 503, requests in flight finish (their
     * writes committed and answered) within the stop timeout, then connections close. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        try {
            jetty.stop();
            LOG.info("memory-server stopped");
        } catch (Exception e) {
            LOG.warn("memory-server did not stop cleanly: {}", e.toString());
        }
    }

    /** Builds a {@link MemoryServer}. Not thread-safe. */
    public static final class Builder {
        private final ServerDatabase db;
        private String host = "127.0.0.1";
        private int port = 8080;
        private double ratePerSecond = 100;
        private int rateBurst = 200;
        private long maxBodyBytes = 1 << 20;
        private int maxThreads = 64;
        private Duration stopTimeout = Duration.ofSeconds(30);
        private Duration keyRecheck = ApiKeys.DEFAULT_RECHECK;

        private Builder(ServerDatabase db) {
            this.db = Objects.requireNonNull(db, "db");
        }

        /**
         * @param host the address to bind; {@code 127.0.0.1} by default, {@code 0.0.0.0} for every interface
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the port; 0 picks a free one; 8080 by default
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range 0 to 65535");
            }
            this.port = port;
            return this;
        }

        /**
         * Limits each API key's request rate; 100 a second with bursts of 200 by default. The bucket is this
         * server's; on PostgreSQL a key is also held to {@code perSecond} (rounded up) requests in each one-second
         * window across every server on the database, so the burst applies within one second on one server only.
         *
         * @param perSecond the sustained rate; 0 turns limiting off
         * @param burst the most requests at once after a quiet period
         * @return this builder
         */
        public Builder rateLimit(double perSecond, int burst) {
            if (perSecond < 0 || burst < 1) {
                throw new IllegalArgumentException("the rate must be at least 0 and the burst at least 1");
            }
            this.ratePerSecond = perSecond;
            this.rateBurst = burst;
            return this;
        }

        /**
         * @param bytes the largest request body accepted (1 MiB by default); larger ones are answered 413
         * @return this builder
         */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("the body limit must be at least 1024 bytes");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * @param threads the most requests served at once (64 by default)
         * @return this builder
         */
        public Builder maxThreads(int threads) {
            if (threads < 4) {
                throw new IllegalArgumentException("at least 4 threads are needed");
            }
            this.maxThreads = threads;
            return this;
        }

        /**
         * @param timeout how long {@link #close()} waits for requests in flight (30 s by default)
         * @return this builder
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long a verified API key is trusted before its row is read again (1 s by default). A key revoked through
         * this server's {@link ServerDatabase} is refused at once; one revoked elsewhere ({@code memctl keys revoke},
         * another server on the same PostgreSQL) is refused within this interval. Zero reads the row on every
         * request.
         *
         * @param interval 0 to 1 hour
         * @return this builder
         */
        public Builder keyRecheck(Duration interval) {
            if (interval.isNegative() || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("the key recheck interval must be 0 to 1 hour");
            }
            this.keyRecheck = interval;
            return this;
        }

        /** @return the server, not started yet */
        public MemoryServer build() {
            return new MemoryServer(this);
        }
    }
}
