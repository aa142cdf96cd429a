package dev.agentmemory.spring.boot.internal;

import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.spring.boot.AgentMemoryProperties.BackendType;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides where the auto-configured {@code AgentMemory} keeps its memories, from the settings and what the
 * application has, without opening anything. Kept apart from the opening so that every combination can be
 * table-tested.
 */
public enum BackendChoice {
    /** The SQLite file of {@code agent-memory.sqlite.path}. */
    SQLITE_FILE,
    /** The application's DataSource. */
    DATA_SOURCE,
    /** The in-memory backend. */
    IN_MEMORY;

    /**
     * Decides.
     *
     * @param type the configured backend type
     * @param sqlitePathSet whether {@code agent-memory.sqlite.path} is set
     * @param hasDataSource whether the application has a DataSource bean
     * @return the choice
     * @throws IllegalStateException naming the property to set, when the settings cannot be met
     */
    public static BackendChoice decide(BackendType type, boolean sqlitePathSet, boolean hasDataSource) {
        return switch (type) {
            case IN_MEMORY -> IN_MEMORY;
            case SQLITE -> {
                if (!sqlitePathSet) {
                    throw new IllegalStateException("agent-memory.backend is sqlite but agent-memory.sqlite.path is"
                            + " not set: set it to the database file, for example data/agent-memory.db");
                }
                yield SQLITE_FILE;
            }
            case DATA_SOURCE -> {
                if (!hasDataSource) {
                    throw new IllegalStateException("agent-memory.backend is data-source but the application has no"
                            + " DataSource: configure spring.datasource.url (and add spring-boot-starter-jdbc and"
                            + " the database's driver), or set agent-memory.sqlite.path");
                }
                yield DATA_SOURCE;
            }
            case AUTO -> {
                if (sqlitePathSet) {
                    yield SQLITE_FILE;
                }
                if (hasDataSource) {
                    yield DATA_SOURCE;
                }
                throw new IllegalStateException("agent-memory has nowhere to keep memories: set"
                        + " agent-memory.sqlite.path to a database file, give the application a DataSource"
                        + " (spring.datasource.url), or set agent-memory.backend=in-memory for memories that are"
                        + " lost when the application stops");
            }
        };
    }

    /**
     * Returns the dialect of a database, from the product name its JDBC driver reports.
     *
     * @param productName {@code DatabaseMetaData.getDatabaseProductName()}
     * @return the dialect, or empty for a database the library does not support
     */
    public static Optional<Dialect> dialectOf(String productName) {
        String p = productName == null ? "" : productName.trim().toLowerCase(Locale.ROOT);
        if (p.equals("sqlite")) {
            return Optional.of(Dialect.SQLITE);
        }
        if (p.equals("postgresql")) {
            return Optional.of(Dialect.POSTGRESQL);
        }
        return Optional.empty();
    }
}
