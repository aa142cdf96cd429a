package dev.agentmemory.fs;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.spi.MemoryBackend;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** This file system over a real backend: a workspace with the stores Notes and Other, attached read-write. */
final class MemoryHarness implements NioHarness {

    final AgentMemory memory;
    final Workspace workspace;
    final MemoryStore notesStore;
    final MemoryStore otherStore;
    final Session session;
    private final FileSystem fs;
    private final List<FileSystem> reopened = new ArrayList<>();
    private final Path tempDir;

    private MemoryHarness(MemoryBackend backend, Path tempDir) {
        this.tempDir = tempDir;
        memory = AgentMemory.builder().backend(backend).build();
        workspace = memory.workspace("acme");
        notesStore = workspace.stores().create(NewStore.named("Notes").build());
        otherStore = workspace.stores().create(NewStore.named("Other").build());
        session = workspace.sessions().create(List.of(AttachmentSpec.readWrite(notesStore.id()),
                AttachmentSpec.readWrite(otherStore.id())));
        fs = MemoryFileSystems.newFileSystem(session, options());
    }

    static MemoryFileSystemOptions options() {
        return MemoryFileSystemOptions.defaults().withWatchPollInterval(Duration.ofMillis(10));
    }

    static MemoryHarness inMemory() {
        return new MemoryHarness(InMemoryBackend.create(), null);
    }

    static MemoryHarness sqlite() throws IOException {
        Path dir = Files.createTempDirectory("nio-sqlite");
        return new MemoryHarness(JdbcBackend.sqlite(dir.resolve("memory.db")), dir);
    }

    Path databaseFile() {
        return tempDir.resolve("memory.db");
    }

    @Override
    public FileSystem fs() {
        return fs;
    }

    @Override
    public FileSystem reopen() {
        FileSystem again = MemoryFileSystems.newFileSystem(session, options());
        reopened.add(again);
        return again;
    }

    @Override
    public Set<Cap> caps() {
        return NioHarness.none();
    }

    @Override
    public void close() throws IOException {
        for (FileSystem f : reopened) {
            f.close();
        }
        fs.close();
        memory.close();
        if (tempDir != null) {
            try (var files = Files.walk(tempDir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
