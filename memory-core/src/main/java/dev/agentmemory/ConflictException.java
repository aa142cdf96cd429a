package dev.agentmemory;

/**
 * The request clashes with the stored state. The subclasses say how: {@link PathConflictException} and
 * {@link PreconditionFailedException}; this class itself is thrown when an imported id already exists.
 */
public class ConflictException extends MemoryException {

    /**
     * Creates the exception.
     *
     * @param message what clashed and how to resolve it
     */
    public ConflictException(String message) {
        this("conflict_error", message);
    }

    /**
     * Creates the exception with a specific code.
     *
     * @param code the failure kind's code
     * @param message what clashed and how to resolve it
     */
    protected ConflictException(String code, String message) {
        super(code, message, null);
    }
}
