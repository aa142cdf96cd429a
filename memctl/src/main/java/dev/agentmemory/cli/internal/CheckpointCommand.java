package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.Checkpoints;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.SignedCheckpoint;
import dev.agentmemory.wire.WireJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memctl checkpoint}: host keys and signed checkpoints of a store's hash chain. */
@Command(name = "checkpoint", description = "Make a host key, and sign a verified store's chain head to publish.",
        subcommands = {CheckpointCommand.Keygen.class, CheckpointCommand.Sign.class})
final class CheckpointCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: keygen or sign");
    }

    /** {@code memctl checkpoint keygen}: a new Ed25519 host key. */
    @Command(name = "keygen", description = {"Write a new Ed25519 host key: FILE (private and public key, PEM, readable"
            + " by you only) and FILE.pub (the public key, to give to whoever verifies checkpoints)."})
    static final class Keygen implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the key; must not exist.")
        Path file;

        @Override
        public Integer call() throws IOException {
            KeyPair keys = Checkpoints.generateKeyPair();
            Path pub = file.resolveSibling(file.getFileName() + ".pub");
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                throw new CliException(ExitCode.CONFLICT, file + " exists already; a host key is never overwritten");
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, Checkpoints.keyPairPem(keys), StandardCharsets.UTF_8);
            Files.writeString(pub, Checkpoints.publicKeyPem(keys.getPublic()), StandardCharsets.UTF_8);
            MemctlCommand root = (MemctlCommand) spec.root().userObject();
            root.io().out().println("wrote host key " + file + " and public key " + pub + " (key id "
                    + Checkpoints.keyId(keys.getPublic()) + ")");
            return ExitCode.OK.code();
        }
    }

    /** {@code memctl checkpoint sign}: verifies a store's chain and signs its head. */
    @Command(name = "sign", description = {"Verify a store's hash chain and sign its head with a host key: prints one"
            + " line of JSON (or writes it to --output) to publish somewhere the database's users cannot change.",
        "Refuses (exit 15) if the chain does not verify."})
    static final class Sign extends BaseCommand {

        @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
        String store;

        @Option(names = "--key", paramLabel = "FILE", required = true,
                description = "The host key ('memctl checkpoint keygen').")
        Path key;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file instead of stdout.")
        Path output;

        @Override
        void run(Context ctx) throws IOException {
            KeyPair keys = Checkpoints.readKeyPair(VerifyCommand.read(key));
            MemoryStore s = ctx.store(store);
            ChainReport report;
            try (ProgressBar bar = ProgressBar.forTerminalOrNull(ctx.io().err())) {
                report = ctx.admin().verify(s.id(), ProgressBar.listener(bar));
            }
            if (!report.intact()) {
                throw new CliException(ExitCode.CHAIN_BROKEN, "the hash chain of store " + s.id() + " does not"
                        + " verify (" + report.broken().get().detail() + "); nothing was signed");
            }
            SignedCheckpoint signed = Checkpoints.sign(report.head(), keys, Instant.now());
            String line = WireJson.signedCheckpoint(signed);
            if (output == null) {
                ctx.io().out().println(line);
                return;
            }
            Files.writeString(output, line + "\n", StandardCharsets.UTF_8);
            if (ctx.json()) {
                ObjectNode n = (ObjectNode) Json.MAPPER.readTree(line);
                n.put("file", output.toString());
                ctx.printJson(n);
            } else {
                ctx.io().out().println("signed the head of " + s.id() + " at link " + signed.checkpoint().length()
                        + " with key " + signed.keyId() + " to " + output);
            }
        }
    }
}
