package dev.agentmemory.fs;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import com.google.common.jimfs.WatchServiceConfiguration;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The oracle: Jimfs with the Unix configuration and the same {@code /mnt/memory/<slug>} directories. */
final class JimfsHarness implements NioHarness {

    private final FileSystem fs;

    JimfsHarness() throws IOException {
        fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setWatchServiceConfiguration(WatchServiceConfiguration.polling(10, TimeUnit.MILLISECONDS))
                .build());
        Files.createDirectories(fs.getPath("/mnt/memory/notes"));
        Files.createDirectories(fs.getPath("/mnt/memory/other"));
    }

    @Override
    public FileSystem fs() {
        return fs;
    }

    @Override
    public FileSystem reopen() {
        return fs;
    }

    @Override
    public Set<Cap> caps() {
        // Configuration.unix() has the basic attribute view only, as this file system.
        return EnumSet.complementOf(EnumSet.of(Cap.POSIX));
    }

    @Override
    public void close() throws IOException {
        fs.close();
    }
}
