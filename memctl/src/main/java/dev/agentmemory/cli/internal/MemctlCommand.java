package dev.agentmemory.cli.internal;

import dev.agentmemory.model.Actor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top command: the global options every subcommand inherits, and the list of subcommands. */
@Command(name = "memctl",
        versionProvider = MemctlCommand.Version.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        header = "Operate agent-memory stores: memories, history, redaction, retention, export, import, checkouts.",
        description = {
            "Works on the embedded SQLite file (--db) or on PostgreSQL (--url). Writes are attributed to --actor.",
            "Stores are named by id (memstore_...) or by unique name; memories by path (/notes/a.md) or id (mem_...).",
            ""},
        footer = {"", "Exit codes:",
            "  0 ok                  4 conflict              8 read-only or archived",
            "  1 internal error      5 precondition failed   9 storage or I/O failure",
            "  2 usage               6 invalid argument     10 ambiguous store name",
            "  3 not found           7 limit exceeded       11 checkout error",
            "                                               12 sync left conflicts, refusals or errors",
            "                                               13 mount failed (FUSE, Java 22+, memory-fuse)",
            "                                               14 erasure pending (redact, purge, stores delete)",
            "                                               15 hash chain broken (verify, checkpoint sign)",
            "memctl grep exits as grep does: 0 a line matched, 1 none did, 2 any error.",
            "Run 'memctl COMMAND --help' for a command's options. Details and --json shapes: docs/memctl.md."},
        subcommands = {
            InitCommand.class,
            StoresCommand.class,
            LsCommand.class,
            CatCommand.class,
            GrepCommand.class,
            WriteCommand.class,
            MvCommand.class,
            RmCommand.class,
            LogCommand.class,
            DiffCommand.class,
            RevertCommand.class,
            RedactCommand.class,
            QuarantineCommand.class,
            PolicyEventsCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            PurgeCommand.class,
            VerifyCommand.class,
            CheckpointCommand.class,
            MigrateCommand.class,
            CheckoutCommand.class,
            SyncCommand.class,
            MountCommand.class,
            KeysCommand.class,
            McpCommand.class})
final class MemctlCommand implements Runnable {

    /** The SQLite file used when neither --db nor $AGENT_MEMORY_DB is given. */
    static final String DEFAULT_DB = "agent-memory.db";
    /** The workspace used when neither --workspace nor $AGENT_MEMORY_WORKSPACE is given. */
    static final String DEFAULT_WORKSPACE = "default";

    private final Io io;

    @Option(names = "--db", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 1,
            description = "The SQLite database file; it must exist unless --create is given ('memctl init' creates"
                    + " one). Default: $AGENT_MEMORY_DB, else ./" + DEFAULT_DB + ".")
    private Path db;

    @Option(names = "--create", scope = ScopeType.INHERIT, order = 7,
            description = "Create the database if it is missing (the SQLite file and its directory, or the schema on"
                    + " PostgreSQL). Without it every command opens an existing agent-memory database only.")
    private boolean create;

    @Option(names = "--url", paramLabel = "JDBC_URL", scope = ScopeType.INHERIT, order = 2,
            description = "A PostgreSQL JDBC URL instead of --db, e.g. jdbc:postgresql://localhost:5432/app.")
    private String url;

    @Option(names = "--user", paramLabel = "USER", scope = ScopeType.INHERIT, order = 3,
            description = "The PostgreSQL user (or put user=... in the URL).")
    private String user;

    @Option(names = "--password", paramLabel = "PASSWORD", scope = ScopeType.INHERIT, order = 4,
            description = "The PostgreSQL password. Default: $AGENT_MEMORY_PG_PASSWORD.")
    private String password;

    @Option(names = {"-w", "--workspace"}, paramLabel = "ID", scope = ScopeType.INHERIT, order = 5,
            description = "The workspace (tenant). Default: $AGENT_MEMORY_WORKSPACE, else '" + DEFAULT_WORKSPACE
                    + "'.")
    private String workspace;

    @Option(names = "--actor", paramLabel = "TYPE:ID", scope = ScopeType.INHERIT, order = 6,
            converter = Converters.OperatorActor.class,
            description = "Who writes are attributed to: user:ID, api_key:ID or service_account:ID."
                    + " Default: $AGENT_MEMORY_ACTOR, else user:<your login name>.")
    private Actor actor;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, order = 9,
            description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--version", versionHelp = true, order = 10, description = "Print memctl's version and exit.")
    private boolean versionRequested;

    @Option(names = "--json", scope = ScopeType.INHERIT, order = 8,
            description = "Print JSON instead of tables (errors too, on stderr).")
    private boolean json;

    MemctlCommand(Io io) {
        this.io = io;
    }

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }

    boolean json() {
        return json;
    }

    Io io() {
        return io;
    }

    /**
     * Opens the database the options name.
     *
     * @return the context; close it when the command is done
     */
    Context open() {
        return open(create);
    }

    /**
     * Opens the database the options name, creating it if asked.
     *
     * @param mayCreate whether a missing database may be created
     * @return the context; close it when the command is done
     */
    Context open(boolean mayCreate) {
        String pgPassword = password != null ? password : env("AGENT_MEMORY_PG_PASSWORD").orElse(null);
        if (url != null && db != null) {
            throw new CliException(ExitCode.USAGE, "give either --db or --url, not both");
        }
        Actor who = actor != null ? actor
                : env("AGENT_MEMORY_ACTOR").map(Converters::operatorActor)
                        .orElseGet(() -> Actor.user(loginName()));
        String ws = workspace != null ? workspace : env("AGENT_MEMORY_WORKSPACE").orElse(DEFAULT_WORKSPACE);
        if (url != null) {
            return Context.postgres(io, json, url, user, pgPassword, ws, who, mayCreate);
        }
        return Context.sqlite(io, json, dbFile(), ws, who, mayCreate);
    }

    /** @return the SQLite file the options name, or null when --url is given */
    Path dbFile() {
        return url != null ? null : db != null ? db : Path.of(env("AGENT_MEMORY_DB").orElse(DEFAULT_DB));
    }

    /** @return the PostgreSQL URL, or null */
    String url() {
        return url;
    }

    private static String loginName() {
        String name = System.getProperty("user.name", "");
        return name.isBlank() ? "operator" : name;
    }

    private static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** Reads the project's version from the file the build writes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = MemctlCommand.class.getResourceAsStream("/dev/agentmemory/cli/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"memctl " + p.getProperty("version", "unknown") + " (agent-memory)"};
        }
    }
}
