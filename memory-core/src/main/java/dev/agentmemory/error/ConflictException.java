package dev.agentmemory.error;

/**
 * The request clashes with the stored state. The subclasses say how: {@link dev.agentmemory.model.PathConflictException PathConflictException} and
 * {@link dev.agentmemory.model.PreconditionFailedException PreconditionFailedException}; this class itself is thrown when an imported id already exists.
 */
public class ConflictException extends MemoryException {

    /**
     * Creates the exception.
     *
     * @param message what clashed and how to resolve it
     */
    public ConflictException(String message) {
        this(Kind.CONFLICT, message);
    }

    /**
     * Creates the exception of a more specific kind.
     *
     * @param kind the failure kind
     * @param message what clashed and how to resolve it
     */
    protected ConflictException(Kind kind, String message) {
        super(kind, message, null);
    }
}
