package dev.agentmemory.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on the database: opens it, runs, closes it, and returns exit code 0. */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        MemctlCommand root = (MemctlCommand) spec.root().userObject();
        validate();
        try (Context ctx = root.open()) {
            run(ctx);
        }
        return status();
    }

    /** The exit code of a run that did not fail: 0, unless a command reports more (grep: 1 when nothing matched). */
    int status() {
        return ExitCode.OK.code();
    }

    /** Checks the command's own arguments before the database is opened; throws a usage error if they conflict. */
    void validate() {
    }

    abstract void run(Context ctx) throws Exception;
}
