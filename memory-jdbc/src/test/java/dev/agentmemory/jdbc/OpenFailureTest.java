package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.error.StorageException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database the factories cannot open is a {@link StorageException} that names it, never the pool's own exception.
 */
class OpenFailureTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatIsNotASqliteDatabase() throws IOException {
        Path file = dir.resolve("notes.db");
        Files.writeString(file, "these are not the pages of a SQLite database, just some text long enough".repeat(20));
        assertThatThrownBy(() -> JdbcBackend.sqlite(file).close())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.getFileName().toString());
    }

    @Test
    void aPostgresServerThatIsNotThere() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now, and nothing listens on it once closed
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        assertThatThrownBy(() -> JdbcBackend.postgres(url, "postgres", "").close())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }
}
