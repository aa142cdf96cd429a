/**
 * A session's memory stores as files: the {@code java.nio} view ({@code dev.agentmemory.fs}).
 */
module dev.agentmemory.fs {
    requires transitive dev.agentmemory.core;
    requires org.slf4j;

    exports dev.agentmemory.fs;

    provides java.nio.file.spi.FileSystemProvider with dev.agentmemory.fs.internal.MemoryFileSystemProvider;
}
