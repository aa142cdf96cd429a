package dev.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.error.MemoryException;
import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.error.ReadOnlyException;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Failure kinds are enums whose wire codes are the hosted API's error types: every exception class has one kind, its
 * {@code code()} is that kind's code, and the codes are distinct. The subject of a broken rule and the limit that was
 * passed are enums too, so surfaces switch on them instead of comparing name prefixes.
 */
class FailureKindTest {

    private static final String SHA = "a".repeat(64);

    @Test
    void eachExceptionHasItsKindAndTheKindsCode() {
        List<MemoryException> all = List.of(
                new NotFoundException("x"),
                new ConflictException("x"),
                new PathConflictException("/a", MemoryId.of("mem_" + "0".repeat(29)), "/a"),
                new PreconditionFailedException(MemoryId.of("mem_" + "0".repeat(29)), SHA, SHA,
                        VersionId.of("memver_" + "0".repeat(29))),
                new InvalidArgumentException("path.root", "x"),
                new LimitExceededException(LimitExceededException.Limit.PATH_BYTES, 2, 1, "x"),
                new ReadOnlyException("x"),
                new ArchivedException(StoreId.of("memstore_" + "0".repeat(29)), "write"),
                new StorageException("x", null));
        assertThat(all).extracting(MemoryException::kind).containsExactly(MemoryException.Kind.NOT_FOUND,
                MemoryException.Kind.CONFLICT, MemoryException.Kind.PATH_CONFLICT,
                MemoryException.Kind.PRECONDITION_FAILED, MemoryException.Kind.INVALID_ARGUMENT,
                MemoryException.Kind.LIMIT_EXCEEDED, MemoryException.Kind.READ_ONLY, MemoryException.Kind.ARCHIVED,
                MemoryException.Kind.STORAGE);
        assertThat(all).allSatisfy(e -> assertThat(e.code()).isEqualTo(e.kind().code()));
        assertThat(all).extracting(MemoryException::code).containsExactly("not_found_error", "conflict_error",
                "memory_path_conflict_error", "memory_precondition_failed_error", "invalid_request_error",
                "limit_exceeded_error", "read_only_error", "memory_store_archived_error", "storage_error");
        assertThat(Arrays.stream(MemoryException.Kind.values()).map(MemoryException.Kind::code).distinct())
                .hasSize(MemoryException.Kind.values().length);
    }

    @ParameterizedTest
    @CsvSource({"path.root,PATH", "path.utf8,PATH", "prefix.trailing_slash,PREFIX", "content.utf8,CONTENT",
        "content.required,CONTENT", "precondition.sha256,PRECONDITION", "id,REQUEST", "cursor.malformed,REQUEST",
        "store.name.required,REQUEST", "pathology,REQUEST", "actor type,REQUEST"})
    void aRulesSubjectIsItsFirstSegment(String rule, InvalidArgumentException.Subject subject) {
        assertThat(new InvalidArgumentException(rule, "x").subject()).isEqualTo(subject);
    }

    @Test
    void limitsKeepTheirWireNames() {
        LimitExceededException e = new LimitExceededException(LimitExceededException.Limit.MEMORIES_PER_STORE, 11,
                10, "delete some");
        assertThat(e.which()).isEqualTo(LimitExceededException.Limit.MEMORIES_PER_STORE);
        assertThat(e.limit()).isEqualTo("memories_per_store");
        assertThat(e.getMessage()).startsWith("limit memories_per_store exceeded: 11 is more than the maximum of 10");
        assertThat(Arrays.stream(LimitExceededException.Limit.values()).map(LimitExceededException.Limit::wireName)
                .distinct()).hasSize(LimitExceededException.Limit.values().length);
    }
}
