package dev.agentmemory.server.internal;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.error.WriteBlockedException;

/**
 * Translates the library's exceptions into the hosted API's errors. A pure function, table-tested: each failure kind
 * of the core has exactly one status and type here, and nothing the client sent can become a 5xx.
 *
 * <p>Besides the hosted fields ({@code type}, {@code message}, and a path conflict's {@code conflicting_memory_id}
 * and {@code conflicting_path}), the inner error object carries what the library knows about the failure, as extra
 * string fields that clients may ignore: {@code rule} (a broken rule's stable code, for example
 * {@code path.trailing_slash}), {@code limit}, {@code value} and {@code maximum} (a limit), and
 * {@code current_content_sha256} and {@code current_memory_version_id} (a failed precondition).
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
        if (!(e instanceof MemoryException m)) {
            return ApiError.of(500, "api_error", "internal error; the server's log has the details");
        }
        return switch (m.kind()) {
            case PATH_CONFLICT -> pathConflict((PathConflictException) m);
            case PRECONDITION_FAILED -> preconditionFailed((PreconditionFailedException) m);
            case ARCHIVED, CONFLICT -> ApiError.of(409, "conflict_error", m.getMessage()).withShouldRetry(false);
            case READ_ONLY -> ApiError.of(403, "permission_error", m.getMessage());
            case NOT_FOUND -> ApiError.notFound(m.getMessage());
            case INVALID_ARGUMENT -> m instanceof InvalidArgumentException ia
                    ? ApiError.invalid(m.getMessage()).with("rule", ia.rule()) : ApiError.invalid(m.getMessage());
            case LIMIT_EXCEEDED -> m instanceof LimitExceededException le
                    ? ApiError.invalid(m.getMessage()).with("limit", le.limit())
                            .with("value", Long.toString(le.value())).with("maximum", Long.toString(le.maximum()))
                    : ApiError.invalid(m.getMessage());
            case WRITE_BLOCKED -> m instanceof WriteBlockedException wb
                    ? ApiError.invalid(m.getMessage()).with("rule", wb.rule()) : ApiError.invalid(m.getMessage());
            case SURFACE -> ApiError.invalid(m.getMessage());
            case STORAGE -> ApiError.of(503, "api_error", "the database failed: " + m.getMessage() + "; retry later")
                    .withShouldRetry(true);
        };
    }

    private static ApiError preconditionFailed(PreconditionFailedException pf) {
        return ApiError.of(409, "memory_precondition_failed_error", pf.getMessage()).withShouldRetry(false)
                .with("current_content_sha256", pf.currentSha256())
                .with("current_memory_version_id", pf.currentVersionId().value());
    }

    private static ApiError pathConflict(PathConflictException pc) {
        ApiError out = ApiError.of(409, "memory_path_conflict_error", pc.getMessage()).withShouldRetry(false);
        if (pc.conflictingMemoryId().isPresent()) {
            out = out.with("conflicting_memory_id", pc.conflictingMemoryId().get().value());
        }
        if (pc.conflictingPath().isPresent()) {
            out = out.with("conflicting_path", pc.conflictingPath().get());
        }
        return out;
    }
}
