package dev.agentmemory.cli.internal;

import dev.agentmemory.ArchivedException;
import dev.agentmemory.ConflictException;
import dev.agentmemory.InvalidArgumentException;
import dev.agentmemory.LimitExceededException;
import dev.agentmemory.MemoryException;
import dev.agentmemory.NotFoundException;
import dev.agentmemory.PathConflictException;
import dev.agentmemory.PreconditionFailedException;
import dev.agentmemory.ReadOnlyException;
import dev.agentmemory.StorageException;
import dev.agentmemory.checkout.CheckoutException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * memctl's exit codes, one per failure kind, and the one place that maps a failure to its code. {@code docs/memctl.md}
 * lists the same table.
 */
public enum ExitCode {
    /** The command did what was asked. */
    OK(0, "ok"),
    /** An unexpected failure: a bug in memctl or the library. */
    INTERNAL(1, "internal_error"),
    /** The command line is wrong: unknown command or option, missing or malformed argument. */
    USAGE(2, "usage_error"),
    /** A store, memory, version or session does not exist. */
    NOT_FOUND(3, "not_found_error"),
    /** The request clashes with the stored state, for example a path that is taken. */
    CONFLICT(4, "conflict_error"),
    /** A {@code --if-sha} precondition failed: the memory's content changed. */
    PRECONDITION_FAILED(5, "memory_precondition_failed_error"),
    /** An argument breaks one of the library's rules: a bad path, content that is not UTF-8, a malformed import. */
    INVALID(6, "invalid_request_error"),
    /** A size or count limit would be passed. */
    LIMIT_EXCEEDED(7, "limit_exceeded_error"),
    /** The store is archived (or the access read-only): nothing can be written to it. */
    READ_ONLY(8, "read_only_error"),
    /** The database or a file could not be read or written. */
    STORAGE(9, "storage_error"),
    /** A store name matches several stores: use the store's id. */
    AMBIGUOUS(10, "ambiguous_name_error"),
    /** A checkout cannot be created, opened or synchronised: directory not empty, not a checkout, already open. */
    CHECKOUT(11, "checkout_error"),
    /** A sync finished but left conflicts, refusals or errors to look at; what could be synchronised was. */
    SYNC_INCOMPLETE(12, "sync_incomplete"),
    /** Mounting failed: no FUSE, no Java 22+, the memory-fuse module missing, or a directory in the way. */
    MOUNT(13, "mount_error");

    private final int code;
    private final String type;

    ExitCode(int code, String type) {
        this.code = code;
        this.type = type;
    }

    /**
     * Returns the process exit code.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * Returns the failure kind's name, as in {@code --json} error output.
     *
     * @return for example {@code not_found_error}
     */
    public String type() {
        return type;
    }

    /**
     * Maps a failure to its exit code. Subclasses are tested before their parents.
     *
     * @param failure what the command threw
     * @return its exit code
     */
    public static ExitCode of(Throwable failure) {
        if (failure instanceof CliException e) {
            return e.exitCode();
        }
        if (failure instanceof CheckoutException) {
            return CHECKOUT;
        }
        if (failure instanceof MemoryException m && m.code().equals(MOUNT.type())) {
            return MOUNT; // memory-fuse's MountException, which memctl does not link against
        }
        if (failure instanceof PreconditionFailedException) {
            return PRECONDITION_FAILED;
        }
        if (failure instanceof PathConflictException || failure instanceof ConflictException) {
            return CONFLICT;
        }
        if (failure instanceof NotFoundException) {
            return NOT_FOUND;
        }
        if (failure instanceof InvalidArgumentException) {
            return INVALID;
        }
        if (failure instanceof LimitExceededException) {
            return LIMIT_EXCEEDED;
        }
        if (failure instanceof ArchivedException || failure instanceof ReadOnlyException) {
            return READ_ONLY;
        }
        if (failure instanceof StorageException || failure instanceof IOException
                || failure instanceof UncheckedIOException) {
            return STORAGE;
        }
        return INTERNAL;
    }
}
