package dev.agentmemory.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.spring.boot.AgentMemoryProperties.BackendType;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackendChoiceTest {

    @ParameterizedTest(name = "{0}, sqlite path {1}, DataSource {2} -> {3}")
    @CsvSource({
        "AUTO,        true,  true,  SQLITE_FILE",
        "AUTO,        true,  false, SQLITE_FILE",
        "AUTO,        false, true,  DATA_SOURCE",
        "AUTO,        false, false, 'agent-memory has nowhere to keep memories'",
        "SQLITE,      true,  true,  SQLITE_FILE",
        "SQLITE,      false, true,  'agent-memory.sqlite.path is not set'",
        "DATA_SOURCE, true,  true,  DATA_SOURCE",
        "DATA_SOURCE, true,  false, 'the application has no DataSource'",
        "IN_MEMORY,   true,  true,  IN_MEMORY",
        "IN_MEMORY,   false, false, IN_MEMORY",
    })
    void decides(BackendType type, boolean path, boolean dataSource, String expected) {
        if (expected.contains(" ")) {
            assertThatThrownBy(() -> BackendChoice.decide(type, path, dataSource))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(expected);
        } else {
            assertThat(BackendChoice.decide(type, path, dataSource)).isEqualTo(BackendChoice.valueOf(expected));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "SQLite,     SQLITE",
        "PostgreSQL, POSTGRESQL",
        "' postgresql ', POSTGRESQL",
        "H2,         ",
        "MySQL,      ",
        "'',         ",
    })
    void mapsProductNamesToDialects(String product, Dialect expected) {
        assertThat(BackendChoice.dialectOf(product)).isEqualTo(Optional.ofNullable(expected));
    }
}
