package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.error.MemoryException;
import java.io.InputStream;
import java.io.PrintStream;
import picocli.CommandLine;

/** Builds memctl's command line and runs one command: parsing, error output and exit codes. */
public final class Cli {

    private Cli() {
    }

    /**
     * Runs one command.
     *
     * @param args the command line
     * @param in standard input
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Io io = new Io(in, out, err);
        MemctlCommand root = new MemctlCommand(io);
        CommandLine cmd = new CommandLine(root);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        unsortOptions(cmd);
        cmd.setOut(io.outWriter());
        cmd.setErr(io.errWriter());
        cmd.setParameterExceptionHandler((ex, argv) -> {
            CommandLine failed = ex.getCommandLine();
            String hint = "see '" + failed.getCommandSpec().qualifiedName() + " --help'";
            reportError(io, root.json(), ExitCode.USAGE.code(), ExitCode.USAGE.type(), ex.getMessage(), hint);
            return ExitCode.USAGE.code();
        });
        cmd.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            ExitCode code = ExitCode.of(ex);
            String type = ex instanceof MemoryException me ? me.code() : code.type();
            String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            if (code == ExitCode.INTERNAL) {
                message = ex.getClass().getSimpleName() + ": " + message;
            }
            // grep's convention: 2 for any error, since 1 means "no match"
            int exit = failed.getCommandSpec().userObject() instanceof GrepCommand ? GrepCommand.ERROR : code.code();
            reportError(io, root.json(), exit, type, message, null);
            return exit;
        });
        try {
            return cmd.execute(args);
        } finally {
            io.flush();
        }
    }

    /** In every command's help, its own options come first, then the global ones in their declared order. */
    private static void unsortOptions(CommandLine cmd) {
        cmd.getCommandSpec().usageMessage().sortOptions(false);
        cmd.getSubcommands().values().forEach(Cli::unsortOptions);
    }

    private static void reportError(Io io, boolean json, int code, String type, String message, String hint) {
        String oneLine = message.replace('\n', ' ').replace('\r', ' ');
        io.out().flush();
        if (json) {
            ObjectNode error = Json.MAPPER.createObjectNode();
            error.put("type", type);
            error.put("exit_code", code);
            error.put("message", oneLine);
            ObjectNode wrapper = Json.MAPPER.createObjectNode();
            wrapper.set("error", error);
            io.err().println(Json.write(wrapper));
        } else {
            io.err().println("memctl: " + oneLine + (hint == null ? "" : " (" + hint + ")"));
        }
        io.err().flush();
    }
}
