package dev.agentmemory.jdbc;

import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.testkit.BackendFixture;
import dev.agentmemory.testkit.Capabilities;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Opens each backend on a new SQLite file in a temporary directory, removed on close. */
final class SqliteFixture implements BackendFixture {

    private final Path dir;
    private final AtomicInteger count = new AtomicInteger();

    SqliteFixture() {
        try {
            dir = Files.createTempDirectory("agent-memory-sqlite");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path nextFile() {
        return dir.resolve("memory-" + count.incrementAndGet() + ".db");
    }

    @Override
    public MemoryBackend open() {
        return JdbcBackend.sqlite(nextFile());
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(1.0);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
