package dev.agentmemory.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar memory-server.jar}: serves a SQLite file ({@code --db}, the default {@code memory.db}) or
 * PostgreSQL ({@code --url}) until it receives SIGTERM or SIGINT, then shuts down gracefully.
 */
public final class Main {

    private static final String USAGE = String.join("\n",
            "usage: java -jar memory-server.jar [--db FILE | --url JDBC_URL [--user U] [--password P]]",
            "                                   [--host ADDR] [--port N] [--rate-limit PER_SECOND] [--burst N]",
            "                                   [--max-body BYTES] [--threads N] [--pool N] [--key-recheck-ms MS]",
            "  --db FILE          the SQLite database (default: $AGENT_MEMORY_DB, else memory.db)",
            "  --url JDBC_URL     PostgreSQL instead, e.g. jdbc:postgresql://db:5432/memory; many servers may share it",
            "  --user, --password PostgreSQL credentials (default password: $AGENT_MEMORY_PG_PASSWORD)",
            "  --host ADDR        the address to bind (default 127.0.0.1; 0.0.0.0 behind a TLS proxy)",
            "  --port N           the port (default 8080; 0 picks a free one)",
            "  --rate-limit R     requests a second per API key (default 100; 0 = unlimited); --burst N (default 200)",
            "  --max-body BYTES   the largest request body (default 1048576)",
            "  --threads N        requests served at once (default 64); --pool N database connections (default 16)",
            "  --key-recheck-ms MS  how long a verified key is trusted before its row is read again, so how soon a key",
            "                     revoked elsewhere is refused here (default 1000; 0 = every request)",
            "API keys: memctl keys create --workspace WS NAME (same --db/--url).");

    private Main() {
    }

    /**
     * Runs the server.
     *
     * @param args the options above
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String db = System.getenv().getOrDefault("AGENT_MEMORY_DB", "memory.db");
        String url = null;
        String user = "";
        String password = System.getenv().getOrDefault("AGENT_MEMORY_PG_PASSWORD", "");
        String host = "127.0.0.1";
        int port = 8080;
        double rate = 100;
        int burst = 200;
        long maxBody = 1 << 20;
        int threads = 64;
        int pool = 16;
        long keyRecheckMs = ApiKeys.DEFAULT_RECHECK.toMillis();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    out.println(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--db" -> db = v;
                    case "--url" -> url = v;
                    case "--user" -> user = v;
                    case "--password" -> password = v;
                    case "--host" -> host = v;
                    case "--port" -> port = Integer.parseInt(v);
                    case "--rate-limit" -> rate = Double.parseDouble(v);
                    case "--burst" -> burst = Integer.parseInt(v);
                    case "--max-body" -> maxBody = Long.parseLong(v);
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--pool" -> pool = Integer.parseInt(v);
                    case "--key-recheck-ms" -> keyRecheckMs = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("memory-server: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        ServerDatabase database;
        try {
            database = url != null ? ServerDatabase.postgres(url, user, password, pool)
                    : ServerDatabase.sqlite(Path.of(db));
        } catch (RuntimeException e) {
            err.println("memory-server: " + e.getMessage());
            return 9;
        }
        MemoryServer server;
        try {
            server = MemoryServer.builder(database).host(host).port(port).rateLimit(rate, burst)
                    .maxBodyBytes(maxBody).maxThreads(threads).keyRecheck(java.time.Duration.ofMillis(keyRecheckMs))
                    .build().start();
        } catch (RuntimeException e) {
            database.close();
            err.println("memory-server: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            database.close();
            stopped.countDown();
        }, "memory-server-shutdown"));
        out.println("memory-server listening on " + server.uri());
        out.flush();
        try {
            server.awaitStop();
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
