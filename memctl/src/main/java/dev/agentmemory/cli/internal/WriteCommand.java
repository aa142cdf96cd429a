package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.PutResult;
import dev.agentmemory.model.WriteOutcome;
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
        Memory result;
        String outcome;
        if (memory.startsWith("mem_")) {
            MemoryUpdate update = MemoryUpdate.content(content);
            if (ifSha != null) {
                update = update.ifContentSha256(ifSha);
            }
            ChangeResult r = memories.apply(new Change.Update(Context.memory(memories, memory).id(), update));
            result = r.memory().orElseThrow();
            outcome = r.outcome() == WriteOutcome.APPLIED ? "updated" : "unchanged";
        } else {
            // one atomic put: the lookup and the write are one transaction, so two writers of a new path cannot both
            // create it, and neither fails because the other created it first
            PutResult r;
            try {
                r = ifSha == null ? memories.put(memory, content) : memories.put(memory, content, ifSha);
            } catch (NotFoundException e) {
                throw ifSha == null ? e : new CliException(ExitCode.NOT_FOUND, e.getMessage()
                        + " (leave --if-sha out to create it)");
            }
            result = r.memory();
            outcome = switch (r.outcome()) {
                case CREATED -> "created";
                case UPDATED -> "updated";
                case ALREADY_CURRENT -> "unchanged";
            };
        }
        boolean unchanged = outcome.equals("unchanged");
        // an unchanged write made no version: name the one that holds this content, and who wrote it
        Optional<MemoryVersion> current = unchanged ? Optional.of(memories.version(result.headVersionId()))
                : Optional.empty();
        if (ctx.json()) {
            ObjectNode n = Json.memory(result.withoutContent());
            n.put("result", outcome);
            current.ifPresent(v -> n.set("head_version_created_by", Json.actor(v.createdBy())));
            ctx.printJson(n);
        } else {
            ctx.io().out().println(outcome + " " + result.path() + " " + result.id() + " version "
                    + result.headVersionId() + " sha256 " + result.contentSha256()
                    + current.map(v -> " (no new version: written by " + Converters.format(v.createdBy()) + ")")
                            .orElse(""));
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
