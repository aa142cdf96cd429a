package dev.agentmemory.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.model.Actor;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReferenceStorePolicyTest {

    /** Metadata value (null: key absent), actor, whether the default policy allows the write. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(null, Requests.SESSION, true),
                Arguments.of("false", Requests.SESSION, true),
                Arguments.of(" FALSE ", Requests.SESSION, true),
                Arguments.of("true", Requests.SESSION, false),
                Arguments.of("yes", Requests.SESSION, false),
                Arguments.of("ture", Requests.SESSION, false),
                Arguments.of("", Requests.SESSION, false),
                Arguments.of("true", Requests.OPERATOR, true),
                Arguments.of("true", Actor.apiKey("apikey_1"), true),
                Arguments.of("true", Actor.serviceAccount("sa_1"), true));
    }

    @ParameterizedTest
    @MethodSource("table")
    void referenceStoresAreReadOnlyForSessionsAndUnknownValuesFailClosed(String value, Actor actor, boolean allowed) {
        Map<String, String> metadata = value == null ? Map.of("team", "x")
                : Map.of(ReferenceStorePolicy.METADATA_KEY, value);
        Verdict v = ReferenceStorePolicy.defaults().evaluate(
                WriteRequest.delete(Requests.STORE, metadata, "/a.md", actor));
        if (allowed) {
            assertThat(v).isEqualTo(Verdict.allow());
        } else {
            assertThat(v).isInstanceOfSatisfying(Verdict.Block.class, b -> {
                assertThat(b.policy()).isEqualTo("reference-store");
                assertThat(b.rule()).isEqualTo("reference-store");
            });
        }
    }

    @ParameterizedTest
    @MethodSource("table")
    void withNoWritersAReferenceStoreIsReadOnlyForEveryone(String value, Actor actor, boolean ignored) {
        Map<String, String> metadata = value == null ? Map.of() : Map.of(ReferenceStorePolicy.METADATA_KEY, value);
        Verdict v = ReferenceStorePolicy.writableBy(Set.of()).evaluate(
                WriteRequest.create(Requests.STORE, metadata, "/a.md", "x", actor));
        assertThat(v instanceof Verdict.Block).isEqualTo(ReferenceStorePolicy.isReference(metadata));
    }
}
