package dev.agentmemory.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table from the library's exceptions to the hosted API's statuses and error types. */
class ErrorsTest {

    static final String SHA = "0".repeat(64);

    static Stream<Arguments> table() {
        MemoryId mem = MemoryId.of("mem_a");
        return Stream.of(
                Arguments.of(new InvalidArgumentException("path.segment", "bad"), 400, "invalid_request_error",
                        Optional.empty()),
                Arguments.of(new LimitExceededException(LimitExceededException.Limit.CONTENT_SIZE_BYTES, 2, 1, "smaller"), 400,
                        "invalid_request_error", Optional.empty()),
                Arguments.of(new NotFoundException("gone"), 404, "not_found_error", Optional.empty()),
                Arguments.of(new ReadOnlyException("read-only"), 403, "permission_error", Optional.empty()),
                Arguments.of(new ArchivedException(StoreId.of("memstore_a"), "create"), 409, "conflict_error",
                        Optional.of(false)),
                Arguments.of(new ConflictException("clash"), 409, "conflict_error", Optional.of(false)),
                Arguments.of(new PreconditionFailedException(mem, SHA, "1".repeat(64), VersionId.of("memver_a")),
                        409, "memory_precondition_failed_error", Optional.of(false)),
                Arguments.of(new PathConflictException("/a.md", mem, "/a.md"), 409, "memory_path_conflict_error",
                        Optional.of(false)),
                Arguments.of(new StorageException("down", null), 503, "api_error", Optional.of(true)),
                Arguments.of(new IllegalStateException("bug"), 500, "api_error", Optional.empty()),
                Arguments.of(ApiError.of(429, "rate_limit_error", "slow down"), 429, "rate_limit_error",
                        Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("table")
    void eachFailureHasOneStatusAndType(Throwable failure, int status, String type, Optional<Boolean> retry) {
        ApiError e = Errors.from(failure);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.shouldRetry()).isEqualTo(retry);
        assertThat(e.getMessage()).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("table")
    void theInnerObjectCarriesWhatTheLibraryKnows(Throwable failure, int status, String type,
            Optional<Boolean> retry) {
        Map<String, String> fields = Errors.from(failure).fields();
        if (failure instanceof PathConflictException) {
            assertThat(fields).containsOnly(Map.entry("conflicting_memory_id", "mem_a"),
                    Map.entry("conflicting_path", "/a.md"));
        } else if (failure instanceof InvalidArgumentException) {
            assertThat(fields).containsOnly(Map.entry("rule", "path.segment"));
        } else if (failure instanceof LimitExceededException) {
            assertThat(fields).containsOnly(Map.entry("limit", "content_size_bytes"), Map.entry("value", "2"),
                    Map.entry("maximum", "1"));
        } else if (failure instanceof PreconditionFailedException) {
            assertThat(fields).containsOnly(Map.entry("current_content_sha256", "1".repeat(64)),
                    Map.entry("current_memory_version_id", "memver_a"));
        } else {
            assertThat(fields).isEmpty();
        }
    }
}
