package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.Session;
import dev.agentmemory.checkout.Checkout;
import dev.agentmemory.checkout.CheckoutInfo;
import dev.agentmemory.checkout.CheckoutOptions;
import dev.agentmemory.checkout.SyncReport;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code memctl sync}: synchronises a checkout both ways. */
@Command(name = "sync", description = {"Synchronise a checkout made by 'memctl checkout' with its stores, both ways.",
    "Local creates, edits, deletes and renames become versions attributed to the checkout's session;"
        + " changes others made are written into the directory. Conflicts lose nothing: the local content"
        + " is kept beside the file as <name>.conflict-<time>.<ext>. Use the same --db or --url as for"
        + " checkout. Exits 12 if the sync left conflicts, refusals or errors (listed on stdout)."})
final class SyncCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "DIR", arity = "0..1", defaultValue = ".",
            description = "The checkout's directory (default: the current directory).")
    Path directory;

    @Override
    void run(Context ctx) {
        CheckoutInfo info = Checkout.find(directory).orElseThrow(() -> new NotFoundException(directory
                + " is not a checkout (it has no " + Checkout.METADATA_DIRECTORY + "/); make one with 'memctl"
                + " checkout DIR STORE...'"));
        Session session = ctx.memory().workspace(info.workspaceId()).sessions().get(info.sessionId());
        SyncReport report;
        try (ProgressBar bar = ProgressBar.forTerminalOrNull(ctx.io().err());
                Checkout checkout = Checkout.open(session, directory,
                        CheckoutOptions.defaults().withProgress(ProgressBar.listener(bar)))) {
            report = checkout.sync();
        }
        if (ctx.json()) {
            ctx.printJson(json(info, report));
        } else {
            print(ctx, report);
        }
        if (!report.isClean()) {
            ctx.io().out().flush();
            throw new CliException(ExitCode.SYNC_INCOMPLETE, "the sync left " + report.conflicts().size()
                    + " conflict(s), " + report.refused().size() + " refusal(s) and " + report.errors().size()
                    + " error(s); everything else was synchronised");
        }
    }

    private static void print(Context ctx, SyncReport r) {
        Table t = new Table("ACTION", "MOUNT", "PATH", "DETAIL");
        for (SyncReport.Pushed p : r.pushed()) {
            t.row("pushed", p.mount(), p.path(), p.operation().wireName() + from(p.previousPath())
                    + p.versionId().map(v -> " " + v).orElse(" (no new version)"));
        }
        for (SyncReport.Pulled p : r.pulled()) {
            t.row("pulled", p.mount(), p.path(), p.operation().wireName() + from(p.previousPath()));
        }
        for (SyncReport.Conflict c : r.conflicts()) {
            t.row("conflict", c.mount(), c.path(), c.message());
        }
        for (SyncReport.Refusal f : r.refused()) {
            t.row("refused", f.mount(), f.path(), f.message());
        }
        for (SyncReport.Failure f : r.errors()) {
            t.row("error", f.mount(), f.path(), f.code() + ": " + f.message());
        }
        if (t.size() > 0) {
            t.print(ctx.io().out());
        }
        ctx.io().out().println("pushed " + r.pushed().size() + ", pulled " + r.pulled().size() + ", "
                + r.conflicts().size() + " conflict(s), " + r.refused().size() + " refused, " + r.errors().size()
                + " error(s)");
    }

    private static String from(Optional<String> previousPath) {
        return previousPath.map(p -> " from " + p).orElse("");
    }

    private static ObjectNode json(CheckoutInfo info, SyncReport r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("session_id", info.sessionId().value());
        n.put("directory", info.directory().toString());
        n.put("clean", r.isClean());
        ArrayNode pushed = n.putArray("pushed");
        for (SyncReport.Pushed p : r.pushed()) {
            ObjectNode e = pushed.addObject().put("mount", p.mount()).put("path", p.path())
                    .put("operation", p.operation().wireName()).put("memory_id", p.memoryId().value());
            e.put("previous_path", p.previousPath().orElse(null));
            e.put("version_id", p.versionId().map(Object::toString).orElse(null));
        }
        ArrayNode pulled = n.putArray("pulled");
        for (SyncReport.Pulled p : r.pulled()) {
            ObjectNode e = pulled.addObject().put("mount", p.mount()).put("path", p.path())
                    .put("operation", p.operation().wireName()).put("memory_id", p.memoryId().value());
            e.put("previous_path", p.previousPath().orElse(null));
        }
        ArrayNode conflicts = n.putArray("conflicts");
        for (SyncReport.Conflict c : r.conflicts()) {
            ObjectNode e = conflicts.addObject().put("mount", c.mount()).put("path", c.path())
                    .put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT)).put("message", c.message());
            e.put("local_copy", c.localCopy().map(Path::toString).orElse(null));
        }
        ArrayNode refused = n.putArray("refused");
        for (SyncReport.Refusal f : r.refused()) {
            ObjectNode e = refused.addObject().put("mount", f.mount()).put("path", f.path())
                    .put("reason", f.reason().name().toLowerCase(java.util.Locale.ROOT)).put("restored", f.restored())
                    .put("message", f.message());
            e.put("saved_copy", f.savedCopy().map(Path::toString).orElse(null));
        }
        ArrayNode errors = n.putArray("errors");
        for (SyncReport.Failure f : r.errors()) {
            errors.addObject().put("mount", f.mount()).put("path", f.path()).put("code", f.code())
                    .put("message", f.message());
        }
        return n;
    }
}
