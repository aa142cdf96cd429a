package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.error.StorageException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which existing files may be opened, and how each SQLite result code of a failed open is explained: by name of the
 * file, with what to do.
 */
class SqliteFilesTest {

    private static final Path FILE = Path.of("/data/memory.db");

    @ParameterizedTest(name = "exists={0} dir={1} readable={2} writable={3} dirWritable={4}")
    @CsvSource(delimiter = '|', value = {
        "false | false | false | false | true  | /data/memory.db does not exist (nothing was created)",
        "true  | true  | true  | true  | true  | /data/memory.db is a directory",
        "true  | false | false | false | true  | /data/memory.db cannot be read",
        "true  | false | true  | false | true  | /data/memory.db is read-only: agent-memory needs to write",
        "true  | false | true  | true  | false | /data/memory.db is read-only (its directory is)",
        "true  | false | true  | false | false | /data/memory.db is read-only: agent-memory needs to write"})
    void refusals(boolean exists, boolean dir, boolean readable, boolean writable, boolean dirWritable,
            String message) {
        assertThat(SqliteFiles.refusal(FILE, exists, dir, readable, writable, dirWritable)).hasValueSatisfying(
                m -> assertThat(m).startsWith(message));
    }

    @Test
    void aReadableWritableFileInAWritableDirectoryMayBeOpened() {
        assertThat(SqliteFiles.refusal(FILE, true, false, true, true, true)).isEmpty();
    }

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
