package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.Session;
import dev.agentmemory.checkout.Checkout;
import dev.agentmemory.checkout.CheckoutOptions;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl checkout}: a new session's mounts as a real directory. */
@Command(name = "checkout", description = {"Check stores out into a directory, as <DIR>/<mount>/<memory path>.",
    "Creates a session with the stores attached (read-write unless --read-only or --ro) and checks"
        + " its mounts out; the checkout remembers the session, so 'memctl sync DIR' later pushes local"
        + " edits as versions attributed to that session and pulls in what others changed. Read-only mounts"
        + " are checked out without write permission."})
final class CheckoutCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "DIR", description = "The directory: missing or empty.")
    Path directory;

    @Parameters(index = "1..*", paramLabel = "STORE", arity = "0..*",
            description = "Stores to attach (id or unique name).")
    List<String> stores = new ArrayList<>();

    @Option(names = "--ro", paramLabel = "STORE", description = "A store to attach read-only; repeatable.")
    List<String> readOnlyStores = new ArrayList<>();

    @Option(names = "--read-only", description = "Attach every STORE read-only.")
    boolean readOnly;

    @Override
    void run(Context ctx) throws IOException {
        if (stores.isEmpty() && readOnlyStores.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "name at least one store to check out");
        }
        if (Files.isDirectory(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new CliException(ExitCode.CHECKOUT, directory + " is not empty; check out into a new or"
                            + " empty directory, or run 'memctl sync " + directory + "' if it is a checkout");
                }
            }
        } else if (Files.exists(directory)) {
            throw new CliException(ExitCode.CHECKOUT, directory + " exists and is not a directory");
        }
        List<AttachmentSpec> specs = new ArrayList<>();
        for (String ref : stores) {
            MemoryStore s = ctx.store(ref);
            specs.add(readOnly ? AttachmentSpec.readOnly(s.id()) : AttachmentSpec.readWrite(s.id()));
        }
        for (String ref : readOnlyStores) {
            specs.add(AttachmentSpec.readOnly(ctx.store(ref).id()));
        }
        Session session = ctx.workspace().sessions().create(specs);
        Path root;
        try (ProgressBar bar = ProgressBar.forTerminalOrNull(ctx.io().err());
                Checkout checkout = Checkout.create(session, directory,
                        CheckoutOptions.defaults().withProgress(ProgressBar.listener(bar)))) {
            root = checkout.directory();
        }
        if (ctx.json()) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("session_id", session.id().value());
            n.put("directory", root.toString());
            ArrayNode mounts = n.putArray("mounts");
            for (Attachment a : session.attachments()) {
                mounts.addObject().put("slug", a.slug()).put("memory_store_id", a.storeId().value())
                        .put("access", a.access().wireName()).put("directory", root.resolve(a.slug()).toString());
            }
            ctx.printJson(n);
            return;
        }
        ctx.io().out().println("checked out session " + session.id() + " into " + root);
        Table t = new Table("MOUNT", "ACCESS", "STORE", "NAME");
        for (Attachment a : session.attachments()) {
            t.row(a.slug() + "/", a.access().wireName(), a.storeId(), a.storeName());
        }
        t.print(ctx.io().out());
    }
}
