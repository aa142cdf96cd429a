package dev.agentmemory.error;

/** A write through a read-only attachment, or to a read-only place such as {@code /mnt/memory} itself. */
public class ReadOnlyException extends MemoryException {

    /**
     * Creates the exception.
     *
     * @param message what was refused and why
     */
    public ReadOnlyException(String message) {
        this(Kind.READ_ONLY, message);
    }

    /**
     * Creates the exception of a more specific kind.
     *
     * @param kind the failure kind
     * @param message what was refused and why
     */
    protected ReadOnlyException(Kind kind, String message) {
        super(kind, message, null);
    }
}
