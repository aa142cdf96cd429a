package dev.agentmemory;

/**
 * The root of every exception the library throws. Each failure kind has its own subclass, and each message says what
 * was wrong and what to do about it. A call that throws changed nothing.
 *
 * <ul>
 *   <li>{@link NotFoundException}: a store, memory, version or session does not exist (here).
 *   <li>{@link ConflictException}: the request clashes with the stored state; see {@link PathConflictException} and
 *       {@link PreconditionFailedException}.
 *   <li>{@link InvalidArgumentException}: an argument breaks a rule (a path, a name, a cursor).
 *   <li>{@link LimitExceededException}: a size or count limit would be passed.
 *   <li>{@link ReadOnlyException}: a write through a read-only attachment; {@link ArchivedException}: a write to an
 *       archived store.
 *   <li>{@link WriteBlockedException}: a write policy refused the write (a credential, an injection, a quota, a
 *       reference store).
 *   <li>{@link StorageException}: the backend failed.
 * </ul>
 */
public class MemoryException extends RuntimeException {

    private final String code;

    /**
     * Creates an exception.
     *
     * @param code the stable machine-readable code of the failure kind, for example {@code not_found}
     * @param message what was wrong and what to do
     * @param cause the underlying failure, or {@code null}
     */
    protected MemoryException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
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
