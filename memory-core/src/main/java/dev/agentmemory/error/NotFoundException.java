package dev.agentmemory.error;

/** A store, memory, version, session or mount does not exist, or is not visible from where it was asked for. */
public class NotFoundException extends MemoryException {

    /**
     * Creates the exception.
     *
     * @param message what was not found and where to look
     */
    public NotFoundException(String message) {
        super(Kind.NOT_FOUND, message, null);
    }
}
