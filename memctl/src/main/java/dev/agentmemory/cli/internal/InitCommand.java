package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code memctl init}: creates an agent-memory database, the only command besides {@code --create} that may. */
@Command(name = "init", description = {"Create an agent-memory database: the SQLite file named by --db (and its"
        + " directory), or the schema on the PostgreSQL database named by --url.",
    "An existing agent-memory database is left as it is (its schema brought up to date). A file that holds anything"
        + " else is refused and left unchanged."})
final class InitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MemctlCommand root = (MemctlCommand) spec.root().userObject();
        Path file = root.dbFile();
        boolean existed = file != null && Files.exists(file);
        String where = file != null ? file.toString() : root.url();
        try (Context ctx = root.open(true)) {
            if (ctx.json()) {
                ObjectNode n = Json.MAPPER.createObjectNode();
                n.put("database", where);
                n.put("created", file != null && !existed);
                ctx.printJson(n);
            } else if (file != null && !existed) {
                ctx.io().out().println("created agent-memory database " + where);
            } else {
                ctx.io().out().println(where + " is an agent-memory database, ready");
            }
        }
        return ExitCode.OK.code();
    }
}
