package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.Checkpoints;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.SignedCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl verify}: walks a store's hash chain, optionally against a signed, published checkpoint. */
@Command(name = "verify", description = {"Verify a store's hash chain: every version, redaction and purge record is"
        + " recomputed from what the database holds, from the first link to the head kept with the store.",
    "With --checkpoint and --public-key, the checkpoint's signature is checked and the chain must pass through it."
        + " Exits 0 when the chain verifies, 15 (chain_broken_error) at the first broken link."})
final class VerifyCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A signed checkpoint published earlier"
            + " ('memctl checkpoint sign').")
    Path checkpoint;

    @Option(names = "--public-key", paramLabel = "FILE", description = "The host's public key (PEM) that signed"
            + " the checkpoint.")
    Path publicKey;

    @Override
    void validate() {
        if ((checkpoint == null) != (publicKey == null)) {
            throw new CliException(ExitCode.USAGE, "--checkpoint and --public-key come together: a checkpoint is only"
                    + " worth what its signature is");
        }
    }

    @Override
    void run(Context ctx) throws IOException {
        MemoryStore s = ctx.store(store);
        ChainReport report;
        try (ProgressBar bar = ProgressBar.forTerminalOrNull(ctx.io().err())) {
            if (checkpoint == null) {
                report = ctx.admin().verify(s.id(), ProgressBar.listener(bar));
            } else {
                SignedCheckpoint signed = Checkpoints.parse(read(checkpoint).strip());
                PublicKey key = Checkpoints.readPublicKey(read(publicKey));
                if (!Checkpoints.verifySignature(signed, key)) {
                    throw new CliException(ExitCode.CHAIN_BROKEN, "the checkpoint in " + checkpoint + " is not"
                            + " signed by the key in " + publicKey + " (or was changed after signing); nothing was"
                            + " verified against it");
                }
                report = ctx.admin().verify(s.id(), signed.checkpoint(), ProgressBar.listener(bar));
            }
        }
        if (!report.intact()) {
            // like every failure: nothing on stdout, one line on stderr that says what broke and where
            ChainReport.BrokenLink b = report.broken().get();
            throw new CliException(ExitCode.CHAIN_BROKEN, "the hash chain of store " + s.id() + " is broken at link "
                    + b.position() + b.versionId().map(v -> " (version " + v + ")").orElse("") + ": "
                    + b.problem().name().toLowerCase(java.util.Locale.ROOT) + ": " + b.detail() + " ("
                    + report.linksVerified() + " links verified before it)");
        }
        if (ctx.json()) {
            ctx.printJson(json(report));
        } else {
            ctx.io().out().println(text(report, s));
        }
    }

    static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCode.NOT_FOUND, "no file " + file);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String text(ChainReport r, MemoryStore s) {
        StringBuilder b = new StringBuilder();
        b.append("verified ").append(s.id()).append(" (").append(s.name()).append("): ")
                .append(r.linksVerified()).append(" links verified (").append(r.versionsVerified())
                .append(" versions, ").append(r.gapsSpanned()).append(" purge gaps spanned), head ")
                .append(r.head().length()).append(' ').append(r.head().head());
        if (r.unchainedVersions() > 0) {
            b.append("\n").append(r.unchainedVersions()).append(" versions were written before the store had a hash"
                    + " chain and are not covered by it");
        }
        if (r.versionLinksV1() > 0) {
            b.append("\n").append(r.versionLinksV1()).append(" versions were sealed before a version's link covered"
                    + " its policy redactions; everything else about them is verified");
        }
        r.checkpoint().ifPresent(c -> b.append("\nchecked against the published checkpoint at link ")
                .append(c.length()));
        return b.toString();
    }

    private static ObjectNode json(ChainReport r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("memory_store_id", r.storeId().value());
        n.put("links_verified", r.linksVerified());
        n.put("versions_verified", r.versionsVerified());
        n.put("gaps_spanned", r.gapsSpanned());
        n.put("unchained_versions", r.unchainedVersions());
        n.put("version_links_v1", r.versionLinksV1());
        n.put("head_length", r.head().length());
        n.put("head", r.head().head());
        r.checkpoint().ifPresent(c -> n.put("checkpoint_length", c.length()));
        return n;
    }
}
