package dev.agentmemory.error;

/**
 * The root of every exception the library throws. Each failure kind has its own subclass, and each message says what
 * was wrong and what to do about it. A call that throws changed nothing.
 *
 * <ul>
 *   <li>{@link NotFoundException}: a store, memory, version or session does not exist (here).
 *   <li>{@link ConflictException}: the request clashes with the stored state; see {@link dev.agentmemory.model.PathConflictException PathConflictException} and
 *       {@link dev.agentmemory.model.PreconditionFailedException PreconditionFailedException}.
 *   <li>{@link InvalidArgumentException}: an argument breaks a rule (a path, a name, a cursor).
 *   <li>{@link LimitExceededException}: a size or count limit would be passed.
 *   <li>{@link ReadOnlyException}: a write through a read-only attachment; {@link dev.agentmemory.model.ArchivedException ArchivedException}: a write to an
 *       archived store.
 *   <li>{@link WriteBlockedException}: a write policy refused the write (a credential, an injection, a quota, a
 *       reference store).
 *   <li>{@link StorageException}: the backend failed.
 * </ul>
 */
public class MemoryException extends RuntimeException {

    /**
     * The kind of a failure: what a surface switches on to choose its own error form (an exit code, an errno, an HTTP
     * status, a tool result). Each kind has the stable wire code of the hosted API's error types.
     */
    public enum Kind {
        /** A store, memory, version or session does not exist (here): {@link NotFoundException}. */
        NOT_FOUND("not_found_error"),
        /** The request clashes with the stored state, for example an imported id that exists. */
        CONFLICT("conflict_error"),
        /** A path, or a clashing prefix, is taken: {@link dev.agentmemory.model.PathConflictException PathConflictException}. */
        PATH_CONFLICT("memory_path_conflict_error"),
        /** A {@code content_sha256} precondition failed: {@link dev.agentmemory.model.PreconditionFailedException PreconditionFailedException}. */
        PRECONDITION_FAILED("memory_precondition_failed_error"),
        /** An argument breaks a rule: {@link InvalidArgumentException}. */
        INVALID_ARGUMENT("invalid_request_error"),
        /** A size or count limit would be passed: {@link LimitExceededException}. */
        LIMIT_EXCEEDED("limit_exceeded_error"),
        /** A write through a read-only attachment: {@link ReadOnlyException}. */
        READ_ONLY("read_only_error"),
        /** A write to an archived store: {@link dev.agentmemory.model.ArchivedException ArchivedException}. */
        ARCHIVED("memory_store_archived_error"),
        /** The backend failed, or holds state it cannot trust: {@link StorageException}. */
        STORAGE("storage_error"),
        /**
         * A surface's own resources failed, outside the store: a checkout directory that is not empty or is already
         * open, say. The exception's {@link MemoryException#code()} names the surface.
         */
        SURFACE("surface_error"),
        /** A write policy refused the write: {@link WriteBlockedException}. */
        WRITE_BLOCKED("write_blocked_error");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /**
         * Returns the kind's stable wire code.
         *
         * @return for example {@code not_found_error}
         */
        public String code() {
            return code;
        }
    }

    private final Kind kind;
    private final String code;

    /**
     * Creates an exception whose code is its kind's.
     *
     * @param kind the failure kind
     * @param message what was wrong and what to do
     * @param cause the underlying failure, or {@code null}
     */
    protected MemoryException(Kind kind, String message, Throwable cause) {
        this(kind, kind.code(), message, cause);
    }

    /**
     * Creates an exception with a code of its own, for a {@link Kind#SURFACE} failure.
     *
     * @param kind the failure kind
     * @param code the stable machine-readable code, for example {@code checkout_error}
     * @param message what was wrong and what to do
     * @param cause the underlying failure, or {@code null}
     */
    protected MemoryException(Kind kind, String code, String message, Throwable cause) {
        super(message, cause);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.code = java.util.Objects.requireNonNull(code, "code");
    }

    /**
     * Returns the failure's kind.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the stable, machine-readable code of the failure kind, as in the hosted API's error types.
     *
     * @return for example {@code memory_precondition_failed_error}
     */
    public String code() {
        return code;
    }
}
