package dev.agentmemory;

/** A write through a read-only attachment, or to a read-only place such as {@code /mnt/memory} itself. */
public class ReadOnlyException extends MemoryException {

    /**
     * Creates the exception.
     *
     * @param message what was refused and why
     */
    public ReadOnlyException(String message) {
        this("read_only_error", message);
    }

    /**
     * Creates the exception with a specific code.
     *
     * @param code the failure kind's code
     * @param message what was refused and why
     */
    protected ReadOnlyException(String code, String message) {
        super(code, message, null);
    }
}
