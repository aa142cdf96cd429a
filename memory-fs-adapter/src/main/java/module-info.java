/**
 * A session's memory stores as files: the {@code java.nio} view ({@code dev.agentmemory.fs}) and a real directory
 * checkout that syncs back ({@code dev.agentmemory.checkout}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // memory-core is the automatic module dev.agentmemory.core
module dev.agentmemory.fs {
    requires transitive dev.agentmemory.core;
    requires org.slf4j;

    exports dev.agentmemory.fs;
    exports dev.agentmemory.checkout;

    provides java.nio.file.spi.FileSystemProvider with dev.agentmemory.fs.internal.MemoryFileSystemProvider;
}
