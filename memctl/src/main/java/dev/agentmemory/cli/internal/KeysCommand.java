package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.jdbc.OpenMode;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.server.ApiKey;
import dev.agentmemory.server.NewApiKey;
import dev.agentmemory.server.ServerDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code memctl keys}: the memory server's API keys, kept in the same database as hashes only. Reads the database
 * options (--db, --url, --user, --password) and --workspace from the root command as every other command does.
 */
@Command(name = "keys", description = "Create, list and revoke the memory server's API keys (one workspace each).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: create, list or revoke");
    }

    /** A keys subcommand: opens the server's view of the database, runs, closes it. */
    abstract static class KeyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() {
            MemctlCommand root = (MemctlCommand) spec.root().userObject();
            try (ServerDatabase db = open()) {
                run(db, root);
            }
            return ExitCode.OK.code();
        }

        private <T> Optional<T> rootOption(String name) {
            return Optional.ofNullable(spec.root().findOption(name).getValue());
        }

        private ServerDatabase open() {
            Optional<Path> file = rootOption("--db");
            Optional<String> url = rootOption("--url");
            if (file.isPresent() && url.isPresent()) {
                throw new CliException(ExitCode.USAGE, "give either --db or --url, not both");
            }
            if (url.isPresent()) {
                String password = this.<String>rootOption("--password").orElseGet(() -> env("AGENT_MEMORY_PG_PASSWORD"));
                return ServerDatabase.postgres(url.get(), this.<String>rootOption("--user").orElse(""),
                        password == null ? "" : password, 2, mode());
            }
            Path path = file.orElseGet(() -> Path.of(Optional.ofNullable(env("AGENT_MEMORY_DB"))
                    .orElse(MemctlCommand.DEFAULT_DB)));
            if (Files.isDirectory(path)) {
                throw new CliException(ExitCode.STORAGE, "--db " + path + " is a directory; give the database file");
            }
            if (mode() == OpenMode.EXISTING && !Files.exists(path)) {
                throw new CliException(ExitCode.NOT_FOUND, "no database at " + path + " (nothing was created);"
                        + " check --db (or $AGENT_MEMORY_DB), or create one with 'memctl --db " + path + " init'");
            }
            return ServerDatabase.sqlite(path, mode());
        }

        /** Like every command: an existing agent-memory database only, unless --create is given. */
        private OpenMode mode() {
            return this.<Boolean>rootOption("--create").orElse(false) ? OpenMode.CREATE : OpenMode.EXISTING;
        }

        WorkspaceId workspace() {
            return WorkspaceId.of(this.<String>rootOption("--workspace")
                    .orElseGet(() -> Optional.ofNullable(env("AGENT_MEMORY_WORKSPACE"))
                            .orElse(MemctlCommand.DEFAULT_WORKSPACE)));
        }

        private static String env(String name) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? null : v;
        }

        abstract void run(ServerDatabase db, MemctlCommand root);
    }

    static ObjectNode json(ApiKey k) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", k.id());
        o.put("workspace_id", k.workspaceId().value());
        o.put("name", k.name());
        o.put("created_at", k.createdAt().toString());
        if (k.revokedAt().isPresent()) {
            o.put("revoked_at", k.revokedAt().get().toString());
        } else {
            o.putNull("revoked_at");
        }
        return o;
    }

    /** {@code memctl keys create}. */
    @Command(name = "create", description = {"Create an API key for the workspace (--workspace) and print its secret.",
        "The secret is shown only now; the database keeps a slow hash of it."})
    static final class Create extends KeyCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "A label for the key, e.g. the client it is for.")
        String name;

        @Override
        void run(ServerDatabase db, MemctlCommand root) {
            NewApiKey key = db.apiKeys().create(workspace(), name);
            if (root.json()) {
                ObjectNode o = json(key.key());
                o.put("secret", key.secret());
                root.io().out().println(Json.write(o));
            } else {
                root.io().out().println("created " + key.key().id() + " for workspace " + key.key().workspaceId()
                        + "; its secret (shown only now):");
                root.io().out().println(key.secret());
            }
        }
    }

    /** {@code memctl keys list}. */
    @Command(name = "list", description = "List the workspace's API keys, revoked ones too (never their secrets).")
    static final class ListKeys extends KeyCommand {
        @Option(names = "--all-workspaces", description = "List the keys of every workspace.")
        boolean all;

        @Override
        void run(ServerDatabase db, MemctlCommand root) {
            List<ApiKey> keys = db.apiKeys().list(all ? Optional.empty() : Optional.of(workspace()));
            if (root.json()) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                keys.forEach(k -> array.add(json(k)));
                root.io().out().println(Json.write(array));
                return;
            }
            Table t = new Table("ID", "WORKSPACE", "NAME", "CREATED", "REVOKED");
            for (ApiKey k : keys) {
                t.row(k.id(), k.workspaceId().value(), k.name(), Table.time(k.createdAt()),
                        k.revokedAt().map(Table::time).orElse("-"));
            }
            t.print(root.io().out());
        }
    }

    /** {@code memctl keys revoke}. */
    @Command(name = "revoke", description = "Revoke an API key: every server refuses it within its key recheck interval (1 s by default).")
    static final class Revoke extends KeyCommand {
        @Parameters(index = "0", paramLabel = "KEY_ID", description = "The key's id (apikey_...).")
        String keyId;

        @Override
        void run(ServerDatabase db, MemctlCommand root) {
            ApiKey k = db.apiKeys().revoke(keyId);
            if (root.json()) {
                root.io().out().println(Json.write(json(k)));
            } else {
                root.io().out().println("revoked " + k.id() + " at " + Table.time(k.revokedAt().orElseThrow()));
            }
        }
    }
}
