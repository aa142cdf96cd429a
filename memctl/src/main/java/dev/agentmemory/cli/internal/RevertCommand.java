package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WriteOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code memctl revert}: writes an old version's content back. */
@Command(name = "revert", description = {"Write an old version's content back to its memory, as a normal update.",
    "The update is conditional on the memory's current SHA-256, so a concurrent write is never lost."
        + " The memory keeps its current path; a deleted memory cannot be reverted (recreate it with"
        + " 'write')."})
final class RevertCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "VERSION_ID", description = "The version whose content to restore.")
    String version;

    @Override
    void run(Context ctx) {
        Memories memories = ctx.memories(ctx.store(store));
        MemoryVersion old = memories.version(VersionId.of(version));
        if (old.content().isEmpty()) {
            throw new CliException(ExitCode.INVALID, "version " + version + " has no content to restore: it "
                    + (old.isRedacted() ? "was redacted" : "records a deletion"));
        }
        Memory current = memories.get(old.memoryId());
        ChangeResult r = memories.apply(new Change.Update(current.id(),
                MemoryUpdate.content(old.content().get()).ifContentSha256(current.contentSha256())));
        Memory after = r.memory().orElseThrow();
        boolean changed = r.outcome() == WriteOutcome.APPLIED;
        if (ctx.json()) {
            ObjectNode n = Json.memory(after.withoutContent());
            n.put("result", changed ? "reverted" : "unchanged");
            n.put("reverted_to", old.id().value());
            ctx.printJson(n);
        } else if (changed) {
            ctx.io().out().println("reverted " + after.path() + " to the content of " + old.id() + ": new version "
                    + after.headVersionId());
        } else {
            ctx.io().out().println("unchanged " + after.path() + ": it already has the content of " + old.id());
        }
    }
}
