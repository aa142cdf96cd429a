package dev.agentmemory.fs;

import dev.agentmemory.Session;
import dev.agentmemory.fs.internal.MemoryFileSystem;
import dev.agentmemory.fs.internal.MemoryFileSystemProvider;
import dev.agentmemory.model.SearchQuery;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

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
     * Searches the content of the files under a path of a memory file system, line by line, through each store's own
     * search ({@link dev.agentmemory.Memories#search}): a mount's directory or any directory in it searches that
     * subtree, a file searches that file, and {@code /mnt/memory} (or {@code /}) searches every mount, in slug order.
     * The stream is lazy, as the store's search is. The query's pattern, syntax, case, glob and limit apply (the glob
     * to paths inside the store, such as {@code /notes/*.md} or {@code *.md}); its path prefix must be left at
     * {@code /}, since {@code dir} says where to search.
     *
     * <pre>{@code
     * try (Stream<FileMatch> hits = MemoryFileSystems.search(fs.getPath("/mnt/memory/notes/"),
     *         SearchQuery.literal("TODO").ignoreCase(true).build())) {
     *     hits.forEach(h -> System.out.println(h.file() + ":" + h.lineNumber() + ":" + h.line()));
     * }
     * }</pre>
     *
     * @param dir a path of an open memory file system
     * @param query what to search for
     * @return the matching lines, with the file each is in
     * @throws java.nio.file.NoSuchFileException if nothing is at {@code dir}
     * @throws java.nio.file.ProviderMismatchException if {@code dir} is not a path of a memory file system
     * @throws dev.agentmemory.error.InvalidArgumentException if the query breaks a rule, or sets a path prefix
     * @throws IOException if the stores cannot be read
     */
    public static Stream<FileMatch> search(Path dir, SearchQuery query) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(query, "query");
        if (!(dir.getFileSystem() instanceof MemoryFileSystem fs)) {
            throw new java.nio.file.ProviderMismatchException("not a path of a memory file system: " + dir);
        }
        return fs.search(dir, query);
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
