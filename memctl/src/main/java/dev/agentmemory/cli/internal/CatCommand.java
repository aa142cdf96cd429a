package dev.agentmemory.cli.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.VersionId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl cat}: a memory's content, now or at a version. */
@Command(name = "cat", description = {"Print a memory's content, exactly as stored (no newline is added).",
    "With --version, print that version's content instead."})
final class CatCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "MEMORY", arity = "0..1",
            description = "The memory's path or id; optional with --version.")
    String memory;

    @Option(names = {"-V", "--version"}, paramLabel = "VERSION_ID",
            description = "A version id (memver_...), as 'memctl log' lists them.")
    String version;

    @Override
    void run(Context ctx) {
        Memories memories = ctx.memories(ctx.store(store));
        if (version == null) {
            if (memory == null) {
                throw new CliException(ExitCode.USAGE, "give the memory's path or id, or --version");
            }
            Memory m = Context.memory(memories, memory);
            if (ctx.json()) {
                ctx.printJson(Json.memory(m));
            } else {
                ctx.io().out().print(m.text());
            }
            return;
        }
        MemoryVersion v = memories.version(VersionId.of(version));
        if (memory != null) {
            Memory m = Context.memory(memories, memory);
            if (!m.id().equals(v.memoryId())) {
                throw new NotFoundException("version " + version + " belongs to memory " + v.memoryId()
                        + ", not to " + m.id() + " (" + m.path() + ")");
            }
        }
        if (ctx.json()) {
            ctx.printJson(Json.version(v));
            return;
        }
        if (v.content().isEmpty()) {
            throw new CliException(ExitCode.INVALID, "version " + version + " has no content: it "
                    + (v.isRedacted() ? "was redacted" : "records a deletion"));
        }
        ctx.io().out().print(v.content().get());
    }
}
