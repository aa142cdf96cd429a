package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.TransferSummary;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl export}: a store as JSON Lines. */
@Command(name = "export", description = {"Export a store as JSON Lines: the store, its memories, then its versions.",
    "Writes to standard output, or to --output FILE (replaced only once the export is complete)."
        + " Shows a progress bar on standard error when run on a terminal."})
final class ExportCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file instead of stdout.")
    Path output;

    @Override
    void run(Context ctx) throws IOException {
        MemoryStore s = ctx.store(store);
        TransferSummary summary;
        try (ProgressBar bar = ProgressBar.forTerminalOrNull(ctx.io().err())) {
            if (output == null) {
                OutputStream out = ctx.io().out();
                summary = ctx.admin().exportStore(s.id(), out, ProgressBar.listener(bar));
                out.flush();
                return;
            }
            Path target = output.toAbsolutePath();
            if (Files.isDirectory(target)) {
                throw new CliException(ExitCode.STORAGE, "--output " + output + " is a directory");
            }
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
                    summary = ctx.admin().exportStore(s.id(), out, ProgressBar.listener(bar));
                }
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        if (ctx.json()) {
            ObjectNode n = ImportCommand.summary(summary);
            n.put("file", output.toString());
            ctx.printJson(n);
        } else {
            ctx.io().out().println("exported " + summary.storeId() + " (" + s.name() + "): " + summary.memories()
                    + " memories, " + summary.versions() + " versions to " + output);
        }
    }
}
