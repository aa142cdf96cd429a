package dev.agentmemory.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWriteLocksTest {

    @TempDir
    Path dir;

    @Test
    void everyPathNamingOneFileGetsOneFairLock() throws Exception {
        Path db = Files.createFile(dir.resolve("a.db"));
        Path link = Files.createSymbolicLink(dir.resolve("link.db"), db);
        Path dotted = dir.resolve("sub").resolve("..").resolve("a.db");
        Files.createDirectories(dir.resolve("sub"));
        ReentrantLock lock = FileWriteLocks.of(db);
        assertThat(lock.isFair()).isTrue();
        assertThat(FileWriteLocks.of(link)).isSameAs(lock);
        assertThat(FileWriteLocks.of(dotted)).isSameAs(lock);
        assertThat(FileWriteLocks.of(Files.createFile(dir.resolve("b.db")))).isNotSameAs(lock);
    }

    @Test
    void aFileNamedThroughALinkedDirectoryBeforeItExistsKeepsItsLockOnceCreated() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path linkedDir = Files.createSymbolicLink(dir.resolve("linked"), real);
        ReentrantLock before = FileWriteLocks.of(linkedDir.resolve("c.db"));
        Files.createFile(real.resolve("c.db"));
        assertThat(FileWriteLocks.of(real.resolve("c.db"))).isSameAs(before);
        assertThat(FileWriteLocks.of(linkedDir.resolve("c.db"))).isSameAs(before);
    }
}
