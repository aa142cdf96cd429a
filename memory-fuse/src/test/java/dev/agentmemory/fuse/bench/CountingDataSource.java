package dev.agentmemory.fuse.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * A data source that counts what the backend asks of SQLite, for the benchmark's per-operation figures: connections
 * taken from the pool, statements prepared, statements executed (a batch counts once), and write transactions (a
 * {@code BEGIN}). Everything is passed through unchanged. Thread-safe.
 */
final class CountingDataSource {

    /** With -Dbench.trace=true, every connection, statement and execution is printed to stderr. */
    static final boolean TRACE = Boolean.getBoolean("bench.trace");
    final LongAdder connections = new LongAdder();
    final LongAdder prepared = new LongAdder();
    final LongAdder executed = new LongAdder();
    final LongAdder transactions = new LongAdder();
    private final DataSource proxy;

    CountingDataSource(DataSource target) {
        this.proxy = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (p, m, args) -> {
                    Object r = call(target, m, args);
                    if (m.getName().equals("getConnection")) {
                        connections.increment();
                        if (TRACE) {
                            System.err.println("connection, from " + caller());
                        }
                        return connection((Connection) r);
                    }
                    return r;
                });
    }

    DataSource dataSource() {
        return proxy;
    }

    /** Counts so far, to subtract from a later snapshot. */
    record Counts(long connections, long prepared, long executed, long transactions) {

        Counts minus(Counts o) {
            return new Counts(connections - o.connections, prepared - o.prepared, executed - o.executed,
                    transactions - o.transactions);
        }

        String perOperation(int operations) {
            double n = operations;
            return String.format(Locale.ROOT, "%.1f connections, %.1f statements prepared, %.1f executed,"
                    + " %.2f transactions", connections / n, prepared / n, executed / n, transactions / n);
        }
    }

    Counts snapshot() {
        return new Counts(connections.sum(), prepared.sum(), executed.sum(), transactions.sum());
    }

    private Connection connection(Connection c) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, m, args) -> {
                    Object r = call(c, m, args);
                    switch (m.getName()) {
                        case "prepareStatement" -> {
                            prepared.increment();
                            if (TRACE) {
                                System.err.println("prepare: " + args[0]);
                            }
                            return statement((Statement) r, PreparedStatement.class);
                        }
                        case "createStatement" -> {
                            return statement((Statement) r, Statement.class);
                        }
                        case "setAutoCommit" -> {
                            if (Boolean.FALSE.equals(args[0])) {
                                transactions.increment();
                            }
                        }
                        default -> {
                        }
                    }
                    return r;
                });
    }

    private Object statement(Statement s, Class<?> type) {
        InvocationHandler h = (p, m, args) -> {
            String name = m.getName();
            if (name.startsWith("execute")) {
                executed.increment();
                if (TRACE && args != null && args.length > 0) {
                    System.err.println("execute: " + args[0]);
                }
                if (args != null && args.length > 0 && args[0] instanceof String sql
                        && sql.trim().toUpperCase(Locale.ROOT).startsWith("BEGIN")) {
                    transactions.increment();
                }
            }
            return call(s, m, args);
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    /** The nearest frames of the library that asked, for the trace. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().startsWith("dev.agentmemory.")
                        && !f.getClassName().startsWith("dev.agentmemory.fuse.bench")
                        && !f.getClassName().contains("Transactions") && !f.getClassName().contains("jdbc")
                        && !f.getClassName().contains("DefaultMemories") && !f.getClassName().contains("Guarded"))
                .limit(5).map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                        + f.getMethodName()).toList()).toString();
    }

    private static Object call(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
