package dev.agentmemory.server.internal;

import dev.agentmemory.ArchivedException;
import dev.agentmemory.ConflictException;
import dev.agentmemory.InvalidArgumentException;
import dev.agentmemory.LimitExceededException;
import dev.agentmemory.MemoryException;
import dev.agentmemory.NotFoundException;
import dev.agentmemory.PathConflictException;
import dev.agentmemory.PreconditionFailedException;
import dev.agentmemory.ReadOnlyException;
import dev.agentmemory.StorageException;

/**
 * Translates the library's exceptions into the hosted API's errors. A pure function, table-tested: each failure kind
 * of the core has exactly one status and type here, and nothing the client sent can become a 5xx.
 */
public final class Errors {

    private Errors() {
    }

    /**
     * Returns the error answered for a failure.
     *
     * @param e the failure
     * @return the error: 400 for a broken rule or limit, 404 for something missing, 409 for a clash with the stored
     *     state (a path conflict and a failed precondition with their own types), 403 for a write through a read-only
     *     session attachment, 503 for a storage failure, 500 for anything else
     */
    public static ApiError from(Throwable e) {
        if (e instanceof ApiError api) {
            return api;
        }
        if (e instanceof PathConflictException pc) {
            ApiError out = ApiError.of(409, "memory_path_conflict_error", pc.getMessage()).withShouldRetry(false);
            if (pc.conflictingMemoryId().isPresent()) {
                out = out.with("conflicting_memory_id", pc.conflictingMemoryId().get().value());
            }
            if (pc.conflictingPath().isPresent()) {
                out = out.with("conflicting_path", pc.conflictingPath().get());
            }
            return out;
        }
        if (e instanceof PreconditionFailedException) {
            return ApiError.of(409, "memory_precondition_failed_error", e.getMessage()).withShouldRetry(false);
        }
        if (e instanceof ArchivedException) {
            return ApiError.of(409, "conflict_error", e.getMessage()).withShouldRetry(false);
        }
        if (e instanceof ReadOnlyException) {
            return ApiError.of(403, "permission_error", e.getMessage());
        }
        if (e instanceof ConflictException) {
            return ApiError.of(409, "conflict_error", e.getMessage()).withShouldRetry(false);
        }
        if (e instanceof NotFoundException) {
            return ApiError.notFound(e.getMessage());
        }
        if (e instanceof InvalidArgumentException || e instanceof LimitExceededException) {
            return ApiError.invalid(e.getMessage());
        }
        if (e instanceof StorageException) {
            return ApiError.of(503, "api_error", "the database failed: " + e.getMessage()
                    + "; retry later").withShouldRetry(true);
        }
        if (e instanceof MemoryException) {
            return ApiError.invalid(e.getMessage());
        }
        return ApiError.of(500, "api_error", "internal error; the server's log has the details");
    }
}
