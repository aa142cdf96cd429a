package dev.agentmemory.cli;

import dev.agentmemory.cli.internal.Cli;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * {@code memctl}, the operator's command line for agent-memory: stores, memories, history, redaction, retention,
 * export and import, on the embedded SQLite file or on PostgreSQL. Run it as {@code java -jar memctl.jar --help};
 * {@code docs/memctl.md} describes every command, its {@code --json} output and its exit codes.
 */
public final class Memctl {

    private Memctl() {
    }

    /**
     * Runs one command and exits the JVM with its exit code.
     *
     * @param args the command line, for example {@code ls notes /}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs one command without exiting the JVM.
     *
     * @param args the command line
     * @param in standard input, read by {@code write} and {@code import}
     * @param out standard output
     * @param err standard error
     * @return the exit code: 0 on success, otherwise the failure kind's code as {@code docs/memctl.md} lists
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return Cli.run(args, in, out, err);
    }
}
