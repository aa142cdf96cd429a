package dev.agentmemory.fs.internal;

import dev.agentmemory.error.MemoryException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.fs.ContentChangedException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/** The one place where the core's exceptions become {@code java.nio} exceptions. */
final class Errors {

    private Errors() {
    }

    /**
     * Translates a core exception about one path.
     *
     * @param e the core's exception
     * @param file the path the operation was about
     * @return the exception to throw
     */
    static IOException map(MemoryException e, String file) {
        return map(e, file, Optional.empty());
    }

    /**
     * Translates a core exception about a copy or move.
     *
     * @param e the core's exception
     * @param file the source path
     * @param other the target path
     * @return the exception to throw
     */
    static IOException map(MemoryException e, String file, String other) {
        return map(e, file, Optional.of(other));
    }

    /**
     * Translates a core exception.
     *
     * @param e the core's exception
     * @param file the path the operation was about
     * @param second the second path of a copy or move, if any
     * @return the exception to throw
     */
    private static IOException map(MemoryException e, String file, Optional<String> second) {
        String target = second.orElse(file);
        String other = second.orElse(null); // the JDK's exceptions take null for "no second path"
        IOException out = switch (e.kind()) {
            case NOT_FOUND -> new NoSuchFileException(file, other, e.getMessage());
            case PRECONDITION_FAILED -> {
                PreconditionFailedException p = (PreconditionFailedException) e;
                yield new ContentChangedException(file, p.expectedSha256(), p.currentSha256(),
                        p.currentVersionId().value());
            }
            case PATH_CONFLICT -> new FileAlreadyExistsException(target, null, e.getMessage());
            case READ_ONLY, ARCHIVED -> new AccessDeniedException(target, null, e.getMessage());
            case LIMIT_EXCEEDED, INVALID_ARGUMENT, WRITE_BLOCKED -> new FileSystemException(target, null, e.getMessage());
            case STORAGE -> new IOException("storage failed for " + file + ": " + e.getMessage());
            case CONFLICT, SURFACE -> new FileSystemException(file, other, e.getMessage());
        };
        out.initCause(e);
        return out;
    }

    static AccessDeniedException readOnly(String file, String why) {
        return new AccessDeniedException(file, null, why);
    }
}
