package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.TransferSummary;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code memctl import}: a store from JSON Lines. */
@Command(name = "import", description = {"Import a store exported by 'memctl export' into the workspace, with the same"
        + " ids, times and actors.",
    "All of it is imported, or nothing is. Shows a progress bar on standard error when run on a terminal."})
final class ImportCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "FILE", arity = "0..1",
            description = "The JSON Lines file; standard input if absent or '-'.")
    Path file;

    @Override
    void run(Context ctx) throws IOException {
        TransferSummary summary;
        try (ProgressBar bar = ProgressBar.forTerminalOrNull(ctx.io().err())) {
            if (file == null || file.toString().equals("-")) {
                summary = ctx.admin().importStore(ctx.io().in(), ProgressBar.listener(bar));
            } else {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                    summary = ctx.admin().importStore(in, ProgressBar.listener(bar));
                }
            }
        }
        if (ctx.json()) {
            ctx.printJson(summary(summary));
        } else {
            ctx.io().out().println("imported " + summary.storeId() + ": " + summary.memories() + " memories, "
                    + summary.versions() + " versions");
        }
    }

    static ObjectNode summary(TransferSummary s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("memory_store_id", s.storeId().value());
        n.put("memories", s.memories());
        n.put("versions", s.versions());
        return n;
    }
}
