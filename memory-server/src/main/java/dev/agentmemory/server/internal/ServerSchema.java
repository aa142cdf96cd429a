package dev.agentmemory.server.internal;

import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.SchemaException;
import dev.agentmemory.jdbc.schema.ScriptSeries;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;

/**
 * The server's own tables (its API keys and the shared rate-limit windows), beside the library's tables and apart
 * from them: a {@link ScriptSeries} recorded in {@code agent_memory_server_schema_history}, brought up to date the
 * same way the library's own schema is. The history table keeps the column names it has always had ({@code name},
 * {@code applied_at} in milliseconds), so databases made by earlier servers open unchanged.
 */
public final class ServerSchema {

    /** The history table's name. */
    public static final String HISTORY_TABLE = "agent_memory_server_schema_history";

    /** The scripts, in order. A new version is appended here and as a file; an applied one is never edited. */
    static final List<String> SCRIPTS = List.of("V1__api_keys.sql", "V2__rate_windows.sql");

    /**
     * Where the scripts are in the jar: a folder whose name is not a Java package name, so that on the module path the
     * module system does not encapsulate them from memory-jdbc, which reads them.
     */
    static final String FOLDER = "/dev/agentmemory/server/schema-scripts/";

    /** The server's series. */
    static final ScriptSeries SERIES = ScriptSeries.builder("memory-server schema", HISTORY_TABLE)
            .scripts(ServerSchema.class, FOLDER, SCRIPTS)
            .columns("name", "applied_at", ChronoUnit.MILLIS)
            .upgradeHint("run a newer memory-server")
            .build();

    private ServerSchema() {
    }

    /**
     * Applies the scripts not applied yet, after checking the applied ones against their checksums.
     *
     * @param dataSource the database
     * @param dialect its dialect
     * @throws SchemaException if an applied script changed or the database is newer than this server
     * @throws dev.agentmemory.error.StorageException if the database fails
     */
    public static void migrate(DataSource dataSource, Dialect dialect) {
        SERIES.migrate(dataSource, dialect);
    }
}
