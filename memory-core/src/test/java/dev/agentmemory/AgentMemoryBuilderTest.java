package dev.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.Limits;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.spi.MemoryBackend;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The builder owns the backends it is given: however it is misused, it fails fast and closes them, and a spent builder
 * refuses everything, so an abandoned builder never leaves a database open.
 */
class AgentMemoryBuilderTest {

    /** Whether a backend was closed: a closed in-memory backend refuses every call. */
    private static boolean isClosed(MemoryBackend backend) {
        try {
            backend.findStore(new StoreId("memstore_01"));
            return false;
        } catch (StorageException e) {
            return e.getMessage().contains("closed");
        }
    }

    @Test
    void aSecondBackendFailsFastAndClosesBoth() {
        InMemoryBackend first = InMemoryBackend.create();
        InMemoryBackend second = InMemoryBackend.create();
        AgentMemory.Builder b = AgentMemory.builder().backend(first);
        assertThat(isClosed(first)).isFalse();
        assertThatThrownBy(() -> b.backend(second)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backend was already set").hasMessageContaining("both were closed");
        assertThat(isClosed(first)).isTrue();
        assertThat(isClosed(second)).isTrue();
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("use a new builder");
    }

    static Stream<Arguments> misuses() {
        return Stream.of(
                Arguments.of("limits twice", (Consumer<AgentMemory.Builder>) b -> b.limits(Limits.defaults())
                        .limits(Limits.defaults()), IllegalStateException.class),
                Arguments.of("clock twice", (Consumer<AgentMemory.Builder>) b -> b.clock(Clock.systemUTC())
                        .clock(Clock.systemUTC()), IllegalStateException.class),
                Arguments.of("null limits", (Consumer<AgentMemory.Builder>) b -> b.limits(null),
                        NullPointerException.class),
                Arguments.of("null clock", (Consumer<AgentMemory.Builder>) b -> b.clock(null),
                        NullPointerException.class),
                Arguments.of("null backend", (Consumer<AgentMemory.Builder>) b -> b.backend(null),
                        NullPointerException.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misuses")
    void anyMisuseAfterTheBackendClosesIt(String name, Consumer<AgentMemory.Builder> misuse,
            Class<? extends Throwable> kind) {
        InMemoryBackend backend = InMemoryBackend.create();
        AgentMemory.Builder b = AgentMemory.builder().backend(backend);
        assertThatThrownBy(() -> misuse.accept(b)).isInstanceOf(kind);
        assertThat(isClosed(backend)).as(name).isTrue();
        InMemoryBackend another = InMemoryBackend.create();
        assertThatThrownBy(() -> b.backend(another)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed earlier");
        assertThat(isClosed(another)).as("a backend handed to a spent builder is closed too").isTrue();
    }

    @Test
    void aBuilderBuildsOnceAndTheServiceOwnsTheBackend() {
        InMemoryBackend backend = InMemoryBackend.create();
        AgentMemory.Builder b = AgentMemory.builder().backend(backend);
        try (AgentMemory memory = b.build()) {
            assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already built");
            assertThat(isClosed(backend)).as("the built service still uses it").isFalse();
            memory.workspace("acme").stores().create(NewStore.named("Still open").build());
            InMemoryBackend late = InMemoryBackend.create();
            assertThatThrownBy(() -> b.backend(late)).isInstanceOf(IllegalStateException.class);
            assertThat(isClosed(late)).isTrue();
            assertThat(isClosed(backend)).isFalse();
        }
        assertThat(isClosed(backend)).isTrue();
    }

    @Test
    void buildWithoutABackendSaysWhatIsMissing() {
        assertThatThrownBy(() -> AgentMemory.builder().limits(Limits.defaults()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a backend is required");
    }
}
