package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.Memories;
import dev.agentmemory.NotFoundException;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl write}: creates or replaces a memory with standard input. */
@Command(name = "write", description = {"Write standard input (UTF-8) to a memory: create it, or replace its content.",
    "With --if-sha the write happens only if the memory's current content has that SHA-256."})
final class WriteCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "MEMORY", description = "The memory's path (created if missing) or id.")
    String memory;

    @Option(names = "--if-sha", paramLabel = "SHA256",
            description = "Write only if the memory's current content has this SHA-256 (from 'ls' or 'cat --json').")
    String ifSha;

    @Override
    void run(Context ctx) throws IOException {
        if (System.console() != null) {
            ctx.io().err().println("memctl: reading the content from the terminal; end it with Ctrl-D");
        }
        String content = readUtf8(ctx.io().in().readAllBytes());
        Memories memories = ctx.memories(ctx.store(store));
        Optional<Memory> existing = memory.startsWith("mem_") ? Optional.of(Context.memory(memories, memory))
                : memories.findByPath(memory);
        Memory result;
        String outcome;
        if (existing.isEmpty()) {
            if (ifSha != null) {
                throw new NotFoundException("no memory at " + memory + " to check --if-sha against; leave --if-sha"
                        + " out to create it");
            }
            result = memories.create(memory, content);
            outcome = "created";
        } else {
            MemoryUpdate update = MemoryUpdate.content(content);
            if (ifSha != null) {
                update = update.ifContentSha256(ifSha);
            }
            result = memories.update(existing.get().id(), update);
            outcome = result.headVersionId().equals(existing.get().headVersionId()) ? "unchanged" : "updated";
        }
        if (ctx.json()) {
            ObjectNode n = Json.memory(result.withoutContent());
            n.put("result", outcome);
            ctx.printJson(n);
        } else {
            ctx.io().out().println(outcome + " " + result.path() + " " + result.id() + " version "
                    + result.headVersionId() + " sha256 " + result.contentSha256());
        }
    }

    static String readUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CliException(ExitCode.INVALID, "standard input is not valid UTF-8 text; memories hold UTF-8"
                    + " text only");
        }
    }
}
