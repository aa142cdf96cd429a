package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.ErasureStatus;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The {@code --wait} option of the commands that erase content ({@code redact}, {@code purge}, {@code stores delete}),
 * and how they end: exit 0 only when the erased content's bytes have left the database's storage; otherwise the change
 * is still made, a plain warning says what remains and why, and the exit code is {@link ExitCode#ERASURE_PENDING}.
 * Mixed into each such command with picocli's {@code @Mixin}.
 */
final class Erasure {

    @Option(names = "--wait", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How long to wait, beyond the library's own 2 s, for the erased content's bytes to leave"
                    + " the database's storage (for example when another process holds a read transaction open):"
                    + " 30s, 5m, PT10M... Without it memctl does not wait longer, and exits with code 14 while"
                    + " bytes remain.")
    Duration wait;

    /**
     * Waits for the physical erasure if it is pending and {@code --wait} was given.
     *
     * @param ctx the command's context
     * @param status the status the library reported
     * @return the status after waiting
     */
    ErasureStatus settle(Context ctx, ErasureStatus status) {
        if (status.state() == ErasureStatus.State.PENDING && wait != null && !wait.isZero()) {
            return ctx.admin().awaitErasure(wait);
        }
        return status;
    }

    /**
     * The status as JSON: {@code {"state": "done", "detail": "..."}}.
     *
     * @param status the status
     * @return the object
     */
    static ObjectNode json(ErasureStatus status) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("state", status.state().wireName());
        n.put("detail", status.detail());
        status.pendingSince().ifPresent(t -> n.put("pending_since", t.toString()));
        return n;
    }

    /**
     * Ends the command: nothing when the bytes are gone; otherwise a warning on standard error and exit code 14.
     *
     * @param ctx the command's context, whose output is flushed first
     * @param status the final status
     * @param what what was erased, e.g. "the redacted content"
     * @throws CliException with {@link ExitCode#ERASURE_PENDING} unless the erasure is done
     */
    static void finish(Context ctx, ErasureStatus status, String what) {
        if (status.isDone()) {
            return;
        }
        ctx.io().out().flush();
        throw new CliException(ExitCode.ERASURE_PENDING, "WARNING: " + what + " is unreachable, but its bytes are"
                + " still in the database's storage (" + status.state().wireName() + "): " + status.detail()
                + "; the library finishes the erasure by itself once that clears (next time any program opens the"
                + " database, if not before); run again with --wait 5m to wait for it");
    }
}
