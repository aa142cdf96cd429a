package dev.agentmemory.fs;

import dev.agentmemory.Session;
import dev.agentmemory.fs.internal.MemoryFileSystemProvider;
import java.net.URI;
import java.nio.file.FileSystem;
import java.util.Objects;

/**
 * Opens a session's memory stores as a {@link FileSystem}: each attachment is the directory
 * {@code /mnt/memory/<slug>/}, and {@code /mnt/memory/<slug>/notes/java.md} is the memory {@code /notes/java.md} of
 * that store. {@code /mnt/memory} and everything above it are read-only.
 *
 * <pre>{@code
 * try (FileSystem fs = MemoryFileSystems.newFileSystem(session)) {
 *     Path notes = fs.getPath("/mnt/memory/project-notes/build.md");
 *     Files.writeString(notes, "Use mvn -B verify.");   // one version, attributed to the session
 * }
 * }</pre>
 *
 * <p>The same file system can be opened through {@link java.nio.file.FileSystems#newFileSystem(URI, java.util.Map)}
 * with the URI {@link #uri(Session)} and the environment entry {@value #ENV_SESSION} holding the session. Thread-safe.
 */
public final class MemoryFileSystems {

    /** The URI scheme of memory paths: {@code agentmemory://<file-system-key>/mnt/memory/...}. */
    public static final String SCHEME = MemoryFileSystemProvider.SCHEME;

    /** The environment key whose value is the {@link Session} to open, for {@code FileSystems.newFileSystem}. */
    public static final String ENV_SESSION = MemoryFileSystemProvider.ENV_SESSION;

    /** The environment key whose value is the {@link MemoryFileSystemOptions}, optional. */
    public static final String ENV_OPTIONS = MemoryFileSystemProvider.ENV_OPTIONS;

    private MemoryFileSystems() {
    }

    /**
     * Opens a new file system over a session's attachments, with the default options. Each call returns a new,
     * independent file system (its own empty directories and open files); close it when done.
     *
     * @param session the session whose mounts the file system shows
     * @return the open file system
     */
    public static FileSystem newFileSystem(Session session) {
        return newFileSystem(session, MemoryFileSystemOptions.defaults());
    }

    /**
     * Opens a new file system over a session's attachments.
     *
     * @param session the session whose mounts the file system shows
     * @param options how the file system behaves
     * @return the open file system
     */
    public static FileSystem newFileSystem(Session session, MemoryFileSystemOptions options) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(options, "options");
        return MemoryFileSystemProvider.instance().newFileSystem(session, options);
    }

    /**
     * Returns the URI that {@link java.nio.file.FileSystems#newFileSystem(URI, java.util.Map)} opens for a session:
     * {@code agentmemory://<session id>/}. Only one file system per session can be open through this URI at a time.
     *
     * @param session the session
     * @return the URI
     */
    public static URI uri(Session session) {
        return MemoryFileSystemProvider.uri(session.id().value(), "/");
    }
}
