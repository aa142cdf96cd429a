package dev.agentmemory.cli.internal;

import java.util.Objects;

/** A failure memctl itself detects (not the library), with the exit code it ends the process with. */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    /**
     * Creates the exception.
     *
     * @param exitCode the failure kind
     * @param message what was wrong and what to do, on one line
     */
    public CliException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
    }

    /**
     * Returns the failure kind.
     *
     * @return the exit code
     */
    public ExitCode exitCode() {
        return exitCode;
    }
}
