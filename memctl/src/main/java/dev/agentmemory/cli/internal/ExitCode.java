package dev.agentmemory.cli.internal;

import dev.agentmemory.error.MemoryException;
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
    MOUNT(13, "mount_error"),
    /**
     * Redaction, purge or store deletion was made and the content is unreachable, but its bytes are still in the
     * database's storage (a reader holds an older snapshot, for example); the library finishes the erasure later.
     */
    ERASURE_PENDING(14, "erasure_pending"),
    /** A store's hash chain does not verify: its history was changed in storage, or a checkpoint does not match. */
    CHAIN_BROKEN(15, "chain_broken_error");

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
     * Maps a failure to its exit code: a library failure by its {@link MemoryException.Kind}, in a switch that names
     * every kind.
     *
     * @param failure what the command threw
     * @return its exit code
     */
    public static ExitCode of(Throwable failure) {
        if (failure instanceof CliException e) {
            return e.exitCode();
        }
        if (failure instanceof MemoryException m && m.code().equals(MOUNT.type())) {
            return MOUNT; // memory-fuse's MountException, which memctl does not link against
        }
        if (failure instanceof MemoryException e) {
            return switch (e.kind()) {
                case NOT_FOUND -> NOT_FOUND;
                case CONFLICT, PATH_CONFLICT -> CONFLICT;
                case PRECONDITION_FAILED -> PRECONDITION_FAILED;
                case INVALID_ARGUMENT, WRITE_BLOCKED -> INVALID;
                case LIMIT_EXCEEDED -> LIMIT_EXCEEDED;
                case READ_ONLY, ARCHIVED -> READ_ONLY;
                case STORAGE -> STORAGE;
                case SURFACE -> CHECKOUT;
            };
        }
        if (failure instanceof IOException || failure instanceof UncheckedIOException) {
            return STORAGE;
        }
        return INTERNAL;
    }
}
