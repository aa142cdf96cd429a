package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.TransferSummary;
import dev.agentmemory.model.WorkspaceId;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memctl migrate}: copies every workspace of a SQLite database into PostgreSQL, keeping stores (archived ones
 * archived), memories, the full history with its actors, times and redactions, and sessions with their attachments.
 */
@Command(name = "migrate", description = {"Copy everything in a SQLite database into PostgreSQL: every workspace's"
        + " stores (archived ones stay archived), memories, full history (versions with their actors, times and"
        + " redactions) and sessions with their attachments, with the same ids.",
    "The source is only read; stop its writers first (a store written during its copy makes the command stop with"
        + " exit 4: run it again). The target's schema is created if missing; a store or session that is already"
        + " there is a conflict (exit 4), except sessions identical to the source's. Prints one line per store as it"
        + " goes, and a progress bar on standard error on a terminal."})
final class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "FILE", required = true,
            description = "The SQLite database to copy (an existing agent-memory database; never changed).")
    Path from;

    @Option(names = "--to", paramLabel = "JDBC_URL", required = true,
            description = "The PostgreSQL database to copy into, e.g. jdbc:postgresql://db:5432/app.")
    String to;

    @Option(names = "--to-user", paramLabel = "USER", description = "The PostgreSQL user (or user= in the URL).")
    String toUser;

    @Option(names = "--to-password", paramLabel = "PASSWORD",
            description = "The PostgreSQL password. Default: $AGENT_MEMORY_PG_PASSWORD.")
    String toPassword;

    @Override
    public Integer call() throws IOException {
        MemctlCommand root = (MemctlCommand) spec.root().userObject();
        Io io = root.io();
        boolean json = root.json();
        String password = toPassword != null ? toPassword : System.getenv("AGENT_MEMORY_PG_PASSWORD");
        Actor nobody = Actor.user("memctl-migrate"); // writes nothing: imports keep the recorded actors
        Path tmp = Files.createTempFile("memctl-migrate", ".jsonl");
        List<ObjectNode> stores = new ArrayList<>();
        long versions = 0;
        long sessions = 0;
        int workspaces = 0;
        try (Context source = Context.sqlite(io, json, from, "default", nobody, false);
                Context target = Context.postgres(io, json, to, toUser, password, "default", nobody, true);
                ProgressBar bar = ProgressBar.forTerminalOrNull(io.err())) {
            AgentMemory src = source.memory();
            AgentMemory dst = target.memory();
            for (WorkspaceId wsId : src.workspaces()) {
                workspaces++;
                Workspace in = src.workspace(wsId);
                Workspace out = dst.workspace(wsId);
                List<MemoryStore> all = allStores(in);
                int n = 0;
                for (MemoryStore s : all) {
                    n++;
                    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                        in.stores().exportStore(s.id(), o, ProgressBar.listener(bar));
                    }
                    TransferSummary t;
                    try (InputStream i = new BufferedInputStream(Files.newInputStream(tmp))) {
                        t = out.stores().importStore(i, ProgressBar.listener(bar));
                    }
                    versions += t.versions();
                    ObjectNode line = ImportCommand.summary(t);
                    line.put("workspace_id", wsId.value());
                    line.put("name", s.name());
                    line.put("archived", s.isArchived());
                    stores.add(line);
                    if (!json) {
                        io.out().println("[" + wsId + " " + n + "/" + all.size() + "] " + s.id() + " (" + s.name()
                                + "): " + t.memories() + " memories, " + t.versions() + " versions"
                                + (s.isArchived() ? ", archived" : ""));
                        io.out().flush();
                    }
                }
                try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                    in.sessions().exportAll(o, ProgressBar.listener(bar));
                }
                long created;
                try (InputStream i = new BufferedInputStream(Files.newInputStream(tmp))) {
                    created = out.sessions().importAll(i, ProgressBar.listener(bar));
                }
                sessions += created;
                if (!json) {
                    io.out().println("[" + wsId + "] " + created + " sessions");
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (json) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("workspaces", workspaces);
            n.put("versions", versions);
            n.put("sessions", sessions);
            ArrayNode arr = n.putArray("stores");
            stores.forEach(arr::add);
            io.out().println(Json.write(n));
        } else {
            io.out().println("migrated " + workspaces + " workspaces, " + stores.size() + " stores, " + versions
                    + " versions, " + sessions + " sessions from " + from + " to " + to);
        }
        return ExitCode.OK.code();
    }

    private static List<MemoryStore> allStores(Workspace w) {
        List<MemoryStore> all = new ArrayList<>();
        StoreQuery query = StoreQuery.builder().includeArchived(true).limit(100).build();
        while (true) {
            Page<MemoryStore> page = w.stores().list(query);
            all.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                return all;
            }
            query = query.page(page.nextCursor().get());
        }
    }
}
