package dev.agentmemory.fs.internal;

import dev.agentmemory.ArchivedException;
import dev.agentmemory.InvalidArgumentException;
import dev.agentmemory.LimitExceededException;
import dev.agentmemory.MemoryException;
import dev.agentmemory.NotFoundException;
import dev.agentmemory.PathConflictException;
import dev.agentmemory.PreconditionFailedException;
import dev.agentmemory.ReadOnlyException;
import dev.agentmemory.StorageException;
import dev.agentmemory.fs.ContentChangedException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** The one place where the core's exceptions become {@code java.nio} exceptions. */
final class Errors {

    private Errors() {
    }

    /**
     * Translates a core exception.
     *
     * @param e the core's exception
     * @param file the path the operation was about
     * @param other the second path of a copy or move, or {@code null}
     * @return the exception to throw
     */
    static IOException map(MemoryException e, String file, String other) {
        IOException out;
        if (e instanceof NotFoundException) {
            out = new NoSuchFileException(file, other, e.getMessage());
        } else if (e instanceof PreconditionFailedException) {
            PreconditionFailedException p = (PreconditionFailedException) e;
            out = new ContentChangedException(file, p.expectedSha256(), p.currentSha256(),
                    p.currentVersionId().value());
        } else if (e instanceof PathConflictException) {
            out = new FileAlreadyExistsException(other != null ? other : file, null, e.getMessage());
        } else if (e instanceof ArchivedException || e instanceof ReadOnlyException) {
            out = new AccessDeniedException(other != null ? other : file, null, e.getMessage());
        } else if (e instanceof LimitExceededException || e instanceof InvalidArgumentException) {
            out = new FileSystemException(other != null ? other : file, null, e.getMessage());
        } else if (e instanceof StorageException) {
            out = new IOException("storage failed for " + file + ": " + e.getMessage());
        } else {
            out = new FileSystemException(file, other, e.getMessage());
        }
        out.initCause(e);
        return out;
    }

    static AccessDeniedException readOnly(String file, String why) {
        return new AccessDeniedException(file, null, why);
    }
}
