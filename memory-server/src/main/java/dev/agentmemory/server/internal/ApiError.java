package dev.agentmemory.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A failure answered in the hosted API's shape, {@code {"type":"error","error":{"type":...,"message":...}}}, with its
 * HTTP status. Extra fields (a path conflict's {@code conflicting_memory_id} and {@code conflicting_path}) go into the
 * inner object. Immutable.
 */
public final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final Map<String, String> fields;
    private final Optional<Boolean> shouldRetry;

    ApiError(int status, String type, String message, Map<String, String> fields, Optional<Boolean> shouldRetry) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.fields = Map.copyOf(fields);
        this.shouldRetry = shouldRetry;
    }

    /**
     * A 400 {@code invalid_request_error}.
     *
     * @param message what was wrong and what to send instead
     * @return the error
     */
    public static ApiError invalid(String message) {
        return new ApiError(400, "invalid_request_error", message, Map.of(), Optional.empty());
    }

    /**
     * A 404 {@code not_found_error}.
     *
     * @param message what was not found
     * @return the error
     */
    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found_error", message, Map.of(), Optional.empty());
    }

    /**
     * An error of any status and type.
     *
     * @param status the HTTP status
     * @param type the hosted error type
     * @param message the message
     * @return the error
     */
    public static ApiError of(int status, String type, String message) {
        return new ApiError(status, type, message, Map.of(), Optional.empty());
    }

    /**
     * Returns a copy that tells the client (through {@code x-should-retry}) whether retrying the same request can
     * help; the official SDKs obey it.
     *
     * @param retry whether to retry
     * @return the copy
     */
    public ApiError withShouldRetry(boolean retry) {
        return new ApiError(status, type, getMessage(), fields, Optional.of(retry));
    }

    /**
     * Returns a copy with an extra field in the inner error object.
     *
     * @param name the field
     * @param value its value
     * @return the copy
     */
    public ApiError with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(fields);
        more.put(name, value);
        return new ApiError(status, type, getMessage(), more, shouldRetry);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the hosted error type, for example {@code not_found_error} */
    public String type() {
        return type;
    }

    /** @return the extra fields of the inner error object */
    public Map<String, String> fields() {
        return fields;
    }

    /** @return what {@code x-should-retry} says, if anything */
    public Optional<Boolean> shouldRetry() {
        return shouldRetry;
    }
}
