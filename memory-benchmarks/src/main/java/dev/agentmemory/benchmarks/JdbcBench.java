package dev.agentmemory.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * What the JDBC benchmarks share: a database to run on (a SQLite file in a temporary directory, or a schema of its
 * own on the PostgreSQL server named by {@value #PG_URL_ENV}), the library's backend on it, and a raw connection
 * pool on the same database configured as the library's own.
 */
final class JdbcBench {

    /** The environment variable naming the PostgreSQL server: a JDBC URL with the user in it. */
    static final String PG_URL_ENV = "AGENT_MEMORY_PG_URL";

    /** The actor every benchmark writes as. */
    static final Actor ACTOR = Actor.user("bench-user");

    private static final AtomicInteger COUNT = new AtomicInteger();

    private JdbcBench() {
    }

    /**
     * Parses a benchmark's {@code dialect} parameter.
     *
     * @param name {@code sqlite} or {@code postgresql}
     * @return the dialect
     */
    static Dialect dialect(String name) {
        return Dialect.valueOf(name.toUpperCase(Locale.ROOT));
    }

    /**
     * Returns the PostgreSQL server's URL.
     *
     * @return the JDBC URL from {@value #PG_URL_ENV}
     * @throws IllegalStateException if the variable is not set
     */
    static String pgUrl() {
        String url = System.getenv(PG_URL_ENV);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("the PostgreSQL benchmarks need " + PG_URL_ENV + ", a JDBC URL with the"
                    + " user in it, for example jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres; or run only"
                    + " SQLite with -p dialect=sqlite");
        }
        return url;
    }

    /**
     * Opens a fresh, empty database: a new SQLite file in a new temporary directory, or a new PostgreSQL schema.
     * Closing it deletes the directory or drops the schema.
     *
     * @param dialectName {@code sqlite} or {@code postgresql}
     * @param purpose a short lowercase word for the file or schema name
     * @return the database
     */
    static Db fresh(String dialectName, String purpose) {
        Dialect dialect = dialect(dialectName);
        if (dialect == Dialect.SQLITE) {
            try {
                Path dir = Files.createTempDirectory("agent-memory-bench-");
                return new Db(dialect, dir.resolve(purpose + ".db"), null, dir, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String schema = "am_bench_" + purpose + "_" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet();
        execute(pgUrl(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
        return new Db(dialect, null, schemaUrl(schema), null, schema);
    }

    /**
     * Names a database that is kept between runs (it is not removed on close): the SQLite file
     * {@code <java.io.tmpdir>/agent-memory-bench/<name>.db} or the PostgreSQL schema {@code am_bench_<name>}.
     *
     * @param dialectName {@code sqlite} or {@code postgresql}
     * @param name lowercase letters, digits and {@code _}
     * @return the database; see {@link Db#exists()} and {@link Db#discard()}
     */
    static Db cached(String dialectName, String name) {
        Dialect dialect = dialect(dialectName);
        if (dialect == Dialect.SQLITE) {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "agent-memory-bench");
            return new Db(dialect, dir.resolve(name + ".db"), null, null, null);
        }
        return new Db(dialect, null, schemaUrl("am_bench_" + name), null, null);
    }

    private static String schemaUrl(String schema) {
        String url = pgUrl();
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /**
     * Runs statements on a new connection.
     *
     * @param url the JDBC URL
     * @param sql the statements
     */
    static void execute(String url, String... sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + String.join("; ", sql) + " on " + url, e);
        }
    }

    /**
     * Returns a short hash of the library's schema script for a dialect, so that a cached database is rebuilt when
     * the schema changes.
     *
     * @param dialect the dialect
     * @return 12 hex digits
     */
    static String schemaHash(Dialect dialect) {
        String resource = "/dev/agentmemory/jdbc/schema/" + dialect.folder() + "/V1__initial_schema.sql";
        try (InputStream in = JdbcBackend.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            return HexFormat.of().formatHex(Bench.sha256().digest(in.readAllBytes())).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns microseconds since the epoch, as the library stores timestamps.
     *
     * @param t an instant
     * @return its epoch microseconds
     */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    /** A database for one benchmark: where it is and how to remove it. */
    static final class Db implements AutoCloseable {
        private final Dialect dialect;
        private final Path file;
        private final String url;
        private final Path tempDir;
        private final String tempSchema;

        private Db(Dialect dialect, Path file, String url, Path tempDir, String tempSchema) {
            this.dialect = dialect;
            this.file = file;
            this.url = url;
            this.tempDir = tempDir;
            this.tempSchema = tempSchema;
        }

        /** @return the dialect */
        Dialect dialect() {
            return dialect;
        }

        /**
         * Opens this database as the memory server does (the library and the server's key table on one pool).
         *
         * @return the server's database; close it when done
         */
        dev.agentmemory.server.ServerDatabase serverDatabase() {
            return dialect == Dialect.SQLITE ? dev.agentmemory.server.ServerDatabase.sqlite(file)
                    : dev.agentmemory.server.ServerDatabase.postgres(url, "", "", 16);
        }

        /**
         * Opens the library's backend, with its default settings, on this database.
         *
         * @return the backend
         */
        JdbcBackend backend() {
            return dialect == Dialect.SQLITE ? JdbcBackend.sqlite(file) : JdbcBackend.postgres(url, null, null);
        }

        /**
         * Opens a raw connection pool on this database with the settings the library's factory uses: for SQLite
         * {@link JdbcBackend#sqliteDataSource} itself (WAL, {@code synchronous=NORMAL}, busy timeout, secure
         * delete, 4 connections); for PostgreSQL HikariCP with at most 10 connections.
         *
         * @return the pool; close it when done
         */
        HikariDataSource rawPool() {
            if (dialect == Dialect.SQLITE) {
                try {
                    return JdbcBackend.sqliteDataSource(file).unwrap(HikariDataSource.class);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(10);
            config.setPoolName("bench-raw-postgres");
            return new HikariDataSource(config);
        }

        /**
         * Tells whether the database already exists (the SQLite file, or the PostgreSQL schema).
         *
         * @return true if it does
         */
        boolean exists() {
            if (dialect == Dialect.SQLITE) {
                return Files.exists(file);
            }
            String schema = schemaOf(url);
            try (Connection c = DriverManager.getConnection(pgUrl()); var ps = c.prepareStatement(
                    "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
                ps.setString(1, schema);
                try (var rs = ps.executeQuery()) {
                    return rs.next();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot look for schema " + schema, e);
            }
        }

        /** Removes the database (the SQLite file and its journal files, or the PostgreSQL schema) if it exists. */
        void discard() {
            if (dialect == Dialect.SQLITE) {
                for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                    try {
                        Files.deleteIfExists(Path.of(file + suffix));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            } else {
                execute(pgUrl(), "DROP SCHEMA IF EXISTS " + schemaOf(url) + " CASCADE");
            }
        }

        /** Creates the PostgreSQL schema if it is missing; makes the SQLite file's directory. */
        void prepare() {
            if (dialect == Dialect.SQLITE) {
                try {
                    Files.createDirectories(file.getParent());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                execute(pgUrl(), "CREATE SCHEMA IF NOT EXISTS " + schemaOf(url));
            }
        }

        /** @return the PostgreSQL JDBC URL with this database's schema (null for SQLite) */
        String url() {
            return url;
        }

        /** @return where the database is, for messages */
        String where() {
            return dialect == Dialect.SQLITE ? file.toString() : "schema " + schemaOf(url);
        }

        private static String schemaOf(String url) {
            return url.substring(url.lastIndexOf("currentSchema=") + "currentSchema=".length());
        }

        /** Removes a fresh database; leaves a cached one. */
        @Override
        public void close() {
            if (tempDir != null) {
                try (Stream<Path> all = Files.walk(tempDir)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (tempSchema != null) {
                execute(pgUrl(), "DROP SCHEMA IF EXISTS " + tempSchema + " CASCADE");
            }
        }
    }

    /**
     * The library on a database, with one store and a read-write handle on it.
     *
     * @param agentMemory the service, which owns the backend
     * @param backend the backend
     * @param store the store
     * @param memories the handle, acting as {@link #ACTOR}
     */
    record Library(AgentMemory agentMemory, JdbcBackend backend, MemoryStore store, Memories memories)
            implements AutoCloseable {

        /**
         * Opens the library on a database and creates a store.
         *
         * @param db the database
         * @param storeName the new store's name
         * @return the library
         */
        static Library withNewStore(Db db, String storeName) {
            JdbcBackend backend = db.backend();
            AgentMemory am = AgentMemory.builder().backend(backend).limits(Bench.LIMITS).build();
            var ws = am.workspace("bench");
            MemoryStore store = ws.stores().create(NewStore.named(storeName).build());
            return new Library(am, backend, store, ws.memories(store.id(), ACTOR));
        }

        @Override
        public void close() {
            agentMemory.close();
        }
    }
}
