package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.PurgeResult;
import dev.agentmemory.model.RetentionPolicy;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl purge}: applies retention to a store. */
@Command(name = "purge", description = {"Remove versions older than the retention window (retention).",
    "Each live memory's current version and its most recent ones are kept regardless of age."
        + " Defaults: the library's policy (30 days, the last 10 versions of each live memory kept). Shows"
        + " a progress bar on standard error when run on a terminal."})
final class PurgeCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Option(names = "--older-than", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "The retention window: 30d, 12h, 2w, P30D... (default: the library's, 30 days).")
    Duration olderThan;

    @Option(names = "--keep", paramLabel = "N",
            description = "How many recent versions of each live memory to keep regardless of age (default: 10).")
    Integer keep;

    @Override
    void run(Context ctx) {
        if (keep != null && keep < 0) {
            throw new CliException(ExitCode.USAGE, "--keep must be 0 or more, not " + keep);
        }
        MemoryStore s = ctx.store(store);
        PurgeResult result;
        try (ProgressBar bar = ProgressBar.forTerminalOrNull(ctx.io().err())) {
            if (olderThan == null && keep == null) {
                result = ctx.admin().purge(s.id(), ProgressBar.listener(bar));
            } else {
                RetentionPolicy defaults = ctx.memory().limits().retention();
                RetentionPolicy policy = new RetentionPolicy(olderThan != null ? olderThan : defaults.window(),
                        keep != null ? keep : defaults.keepPerLiveMemory());
                result = ctx.admin().purge(s.id(), policy, ProgressBar.listener(bar));
            }
        }
        if (ctx.json()) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("memory_store_id", s.id().value());
            n.put("versions_examined", result.versionsExamined());
            n.put("versions_removed", result.versionsRemoved());
            ctx.printJson(n);
        } else {
            ctx.io().out().println("purged " + s.id() + " (" + s.name() + "): examined " + result.versionsExamined()
                    + " versions, removed " + result.versionsRemoved());
        }
    }
}
