package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.RetentionSummary;
import dev.agentmemory.model.WorkspaceId;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl purge}: applies retention to a store. */
@Command(name = "purge", description = {"Remove versions older than the retention window (retention), in one store or,"
        + " with --all, in every store of the workspace (--all-workspaces: of every workspace).",
    "Each live memory's current version and its most recent ones are kept regardless of age."
        + " Defaults: the library's policy (30 days, the last 10 versions of each live memory kept). Shows"
        + " a progress bar on standard error when run on a terminal."})
final class PurgeCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", arity = "0..1",
            description = "The store's id or unique name; not with --all.")
    String store;

    @Option(names = "--all", description = "Every store of the workspace (archived ones are skipped: they keep"
            + " everything).")
    boolean all;

    @Option(names = "--all-workspaces", description = "With --all: every store of every workspace.")
    boolean allWorkspaces;

    @Option(names = "--older-than", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "The retention window: 30d, 12h, 2w, P30D... (default: the library's, 30 days).")
    Duration olderThan;

    @picocli.CommandLine.Mixin
    Erasure erasure;

    @Option(names = "--keep", paramLabel = "N",
            description = "How many recent versions of each live memory to keep regardless of age (default: 10).")
    Integer keep;

    private void purgeAll(Context ctx, RetentionPolicy policy) {
        List<WorkspaceId> workspaces = allWorkspaces ? ctx.memory().workspaces() : List.of(ctx.workspace().id());
        RetentionSummary total = RetentionSummary.EMPTY;
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (WorkspaceId ws : workspaces) {
            RetentionSummary r;
            try (ProgressBar bar = ProgressBar.forTerminalOrNull(ctx.io().err())) {
                r = ctx.memory().workspace(ws).stores().purgeAll(policy, ProgressBar.listener(bar));
            }
            total = total.plus(r);
            ObjectNode n = rows.addObject();
            n.put("workspace_id", ws.value());
            n.put("stores_purged", r.storesPurged());
            n.put("stores_skipped", r.storesSkipped());
            n.put("versions_examined", r.versionsExamined());
            n.put("versions_removed", r.versionsRemoved());
            if (!ctx.json()) {
                ctx.io().out().println("purged workspace " + ws + ": " + r.storesPurged() + " stores ("
                        + r.storesSkipped() + " archived skipped), examined " + r.versionsExamined()
                        + " versions, removed " + r.versionsRemoved());
            }
        }
        // Each store's purge waited for its own erasure already; this only looks (and waits with --wait).
        ErasureStatus physical = erasure.settle(ctx, ctx.admin().erasureStatus());
        if (ctx.json()) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.set("workspaces", rows);
            n.put("versions_removed", total.versionsRemoved());
            n.set("erasure", Erasure.json(physical));
            ctx.printJson(n);
        } else {
            ctx.io().out().println("erasure " + physical.state().wireName() + ": " + physical.detail());
        }
        Erasure.finish(ctx, physical, "the purged content");
    }

    @Override
    void validate() {
        if (keep != null && keep < 0) {
            throw new CliException(ExitCode.USAGE, "--keep must be 0 or more, not " + keep);
        }
        if (all == (store != null) || allWorkspaces && !all) {
            throw new CliException(ExitCode.USAGE, "give a STORE, or --all (with --all-workspaces for every"
                    + " workspace), not both");
        }
    }

    @Override
    void run(Context ctx) {
        RetentionPolicy defaults = ctx.memory().limits().retention();
        RetentionPolicy chosen = new RetentionPolicy(olderThan != null ? olderThan : defaults.window(),
                keep != null ? keep : defaults.keepPerLiveMemory());
        if (all) {
            purgeAll(ctx, chosen);
            return;
        }
        MemoryStore s = ctx.store(store);
        PurgeResult result;
        try (ProgressBar bar = ProgressBar.forTerminalOrNull(ctx.io().err())) {
            result = ctx.admin().purge(s.id(), chosen, ProgressBar.listener(bar));
        }
        ErasureStatus physical = erasure.settle(ctx, result.erasure());
        if (ctx.json()) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("memory_store_id", s.id().value());
            n.put("versions_examined", result.versionsExamined());
            n.put("versions_removed", result.versionsRemoved());
            n.set("erasure", Erasure.json(physical));
            ctx.printJson(n);
        } else {
            ctx.io().out().println("purged " + s.id() + " (" + s.name() + "): examined " + result.versionsExamined()
                    + " versions, removed " + result.versionsRemoved());
            ctx.io().out().println("erasure " + physical.state().wireName() + ": " + physical.detail());
        }
        Erasure.finish(ctx, physical, "the purged content");
    }
}
