package dev.agentmemory.jdbc;

import java.nio.file.Path;

/**
 * Opens a backend with a factory and prints what happened on one line: {@code opened}, or the exception's class and
 * message. Run by {@link MissingDependencyTest} on a class path without an optional dependency.
 */
public final class MissingDependencyMain {

    private MissingDependencyMain() {
    }

    /**
     * Runs.
     *
     * @param args {@code sqlite FILE}, {@code host FILE} (a plain SQLite data source) or {@code postgres URL}
     */
    public static void main(String[] args) {
        try {
            JdbcBackend b = switch (args[0]) {
                case "sqlite" -> JdbcBackend.sqlite(Path.of(args[1]));
                case "host" -> {
                    org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
                    ds.setUrl("jdbc:sqlite:" + args[1]);
                    yield JdbcBackend.builder().dataSource(ds).dialect(Dialect.SQLITE).build();
                }
                default -> JdbcBackend.postgres(args[1], null, null);
            };
            b.close();
            System.out.println("opened");
        } catch (RuntimeException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
