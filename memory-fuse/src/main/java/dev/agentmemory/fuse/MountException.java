package dev.agentmemory.fuse;

import dev.agentmemory.error.MemoryException;

/**
 * Mounting or unmounting failed: no FUSE device or library, a directory in the way, or the kernel refused. Nothing
 * stays mounted after a failed {@link MemoryMount#mount}.
 */
public class MountException extends MemoryException {

    /**
     * Creates the exception.
     *
     * @param message what failed and what to do about it
     * @param cause the underlying failure, or {@code null}
     */
    public MountException(String message, Throwable cause) {
        super(Kind.SURFACE, "mount_error", message, cause);
    }
}
