package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.StorageException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How each SQLite result code of a failed open is explained: by name of the file, with what to do. */
class SqliteFilesTest {

    @ParameterizedTest(name = "code {0}")
    @CsvSource(delimiter = '|', value = {
        "26  | is damaged or is not a SQLite database | restore the file from a backup",
        "11  | is damaged or is not a SQLite database | restore the file from a backup",
        "8   | cannot be written                      | check their permissions",
        "264 | cannot be written                      | check their permissions",
        "3   | cannot be written                      | check their permissions",
        "14  | cannot open                            | its directory is accessible",
        "1   | cannot open the SQLite database        | boom"})
    void eachCodeHasItsExplanation(int code, String what, String todo) {
        Path file = Path.of("/data/memory.db");
        StorageException raw = new StorageException("open failed: boom",
                new SQLException("[CODE] boom", null, code));
        StorageException explained = SqliteFiles.explain(file, raw);
        assertThat(explained.getMessage()).contains("/data/memory.db").contains(what).contains(todo)
                .doesNotContain("credentials");
        assertThat(explained.getCause()).isSameAs(raw);
    }
}
