package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl mv}: renames a memory or moves a directory. */
@Command(name = "mv", description = {"Rename a memory (its id stays), or move a whole directory atomically.",
    "A SOURCE ending in / is a directory: every memory under it moves, or none does."})
final class MvCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "SOURCE", description = "A memory's path or id, or a directory ending in /.")
    String source;

    @Parameters(index = "2", paramLabel = "TARGET", description = "The new path (a directory ending in / for a"
            + " directory move).")
    String target;

    @Option(names = "--if-sha", paramLabel = "SHA256",
            description = "Rename only if the memory's current content has this SHA-256 (not for directories).")
    String ifSha;

    @Override
    void run(Context ctx) {
        Memories memories = ctx.memories(ctx.store(store));
        if (source.endsWith("/")) {
            if (ifSha != null) {
                throw new CliException(ExitCode.USAGE, "--if-sha applies to one memory, not to a directory move");
            }
            String to = target.endsWith("/") ? target : target + "/";
            List<Memory> moved = memories.move(source, to);
            if (ctx.json()) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                moved.forEach(m -> array.add(Json.memory(m)));
                ctx.printJson(array);
            } else {
                ctx.io().out().println("moved " + moved.size() + (moved.size() == 1 ? " memory" : " memories")
                        + " from " + source + " to " + to);
            }
            return;
        }
        Memory m = Context.memory(memories, source);
        MemoryUpdate update = MemoryUpdate.path(target);
        if (ifSha != null) {
            update = update.ifContentSha256(ifSha);
        }
        Memory renamed = memories.update(m.id(), update);
        if (ctx.json()) {
            ctx.printJson(Json.memory(renamed.withoutContent()));
        } else {
            ctx.io().out().println("renamed " + m.path() + " to " + renamed.path() + " (" + renamed.id() + ")");
        }
    }
}
