package dev.agentmemory.error;

/**
 * The backend failed: an I/O error, a lost connection, a closed {@link dev.agentmemory.AgentMemory}, or a transient conflict that did
 * not clear within the library's retry bound. The call may or may not have taken effect only where the message says so;
 * otherwise nothing changed.
 */
public class StorageException extends MemoryException {

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the underlying failure, or {@code null}
     */
    public StorageException(String message, Throwable cause) {
        super(Kind.STORAGE, message, cause);
    }
}
