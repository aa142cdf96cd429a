package dev.agentmemory.cli.internal;

import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.VersionId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code memctl redact}: erases one version's content. */
@Command(name = "redact", description = {"Redact a version: erase its content, SHA-256, size and path for good.",
    "The operation, actor and times stay. A live memory's current version cannot be redacted: write"
        + " a new version or delete the memory first."})
final class RedactCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "VERSION_ID", description = "The version to redact (memver_...).")
    String version;

    @Override
    void run(Context ctx) {
        MemoryStore s = ctx.store(store);
        MemoryVersion v = ctx.admin().redact(s.id(), VersionId.of(version), ctx.actor());
        if (ctx.json()) {
            ctx.printJson(Json.version(v));
        } else {
            ctx.io().out().println("redacted " + v.id() + " of " + v.memoryId() + " by "
                    + Converters.format(v.redactedBy().orElse(ctx.actor())));
        }
    }
}
