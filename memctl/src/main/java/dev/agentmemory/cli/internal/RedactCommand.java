package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.ErasureStatus;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.RedactionReport;
import dev.agentmemory.model.VersionId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code memctl redact}: erases one version's content. */
@Command(name = "redact", description = {"Redact a version: erase its content, SHA-256, size and path for good.",
    "The operation, actor and times stay. A live memory's current version cannot be redacted: write"
        + " a new version or delete the memory first.",
    "The content is unreachable at once. Exit code 14 (with a warning) means its bytes are still in the"
        + " database's storage, for example while another process holds a read transaction open; the library"
        + " finishes the erasure by itself later. --wait waits for it."})
final class RedactCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "VERSION_ID", description = "The version to redact (memver_...).")
    String version;

    @Mixin
    Erasure erasure;

    @Override
    void run(Context ctx) {
        MemoryStore s = ctx.store(store);
        RedactionReport report = ctx.admin().redact(s.id(), VersionId.of(version), ctx.actor());
        MemoryVersion v = report.version();
        ErasureStatus physical = erasure.settle(ctx, report.erasure());
        if (ctx.json()) {
            ObjectNode n = Json.version(v);
            n.set("erasure", Erasure.json(physical));
            ctx.printJson(n);
        } else {
            ctx.io().out().println("redacted " + v.id() + " of " + v.memoryId() + " by "
                    + Converters.format(v.redactedBy().orElse(ctx.actor())));
            ctx.io().out().println("erasure " + physical.state().wireName() + ": " + physical.detail());
        }
        Erasure.finish(ctx, physical, "the redacted content");
    }
}
