package dev.agentmemory.cli.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.model.Memory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl rm}: deletes a memory; its versions stay. */
@Command(name = "rm", description = "Delete a memory. Its versions stay, so 'log' and 'revert' still reach it.")
final class RmCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "MEMORY", description = "The memory's path or id.")
    String memory;

    @Option(names = "--if-sha", paramLabel = "SHA256",
            description = "Delete only if the memory's current content has this SHA-256.")
    String ifSha;

    @Override
    void run(Context ctx) {
        Memories memories = ctx.memories(ctx.store(store));
        Memory m = Context.memory(memories, memory);
        if (ifSha != null) {
            memories.delete(m.id(), ifSha);
        } else {
            memories.delete(m.id());
        }
        if (ctx.json()) {
            ctx.printJson(Json.MAPPER.createObjectNode().put("type", "memory_deleted").put("id", m.id().value())
                    .put("path", m.path()));
        } else {
            ctx.io().out().println("deleted " + m.path() + " (" + m.id() + ")");
        }
    }
}
