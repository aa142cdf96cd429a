package dev.agentmemory.checkout.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.checkout.SyncReport.RefusalReason;
import dev.agentmemory.error.MemoryException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The first phase of a sync: walks one mount's host directory and compares what it finds with the manifest, reading
 * only the files whose size, time or identity moved. It changes nothing on disk or in the manifest; what it finds is
 * one immutable {@link State}. Files it cannot read are reported to the sync's report and left out.
 */
final class LocalScan {

    /** Files larger than this are refused without being read: no store takes them. */
    static final long MAX_READ_BYTES = 64L * 1024 * 1024;

    /** A scanned regular file. */
    record Local(Path host, BasicFileAttributes attrs) {
    }

    /** A symbolic link or special file, which is never synchronised. */
    record Odd(String path, Path host, RefusalReason reason) {
    }

    /** A local file's bytes; {@code text} is empty if they are not valid UTF-8. */
    record Content(Path host, BasicFileAttributes attrs, byte[] bytes, String sha, Optional<String> text) {
    }

    /**
     * A file whose content is the manifest's but whose size, time or identity moved: its entry is made anew.
     *
     * @param path the memory path
     * @param host the file
     * @param fresh the entry for the file as it is now
     * @param changed whether {@code fresh} differs from the manifest's entry
     */
    record Refresh(String path, Path host, Manifest.Entry fresh, boolean changed) {
    }

    /**
     * What the scan found, compared with the manifest.
     *
     * @param odd links and special files
     * @param dirs every directory below the mount root, parents before children
     * @param unknown the regular files the manifest does not know, readable or not, by memory path
     * @param modified files of the manifest whose content changed
     * @param deleted paths of the manifest with no file
     * @param created readable files the manifest does not know, by memory path
     * @param renames deleted paths whose content reappeared at a created path (from, to)
     * @param refreshes files whose content is unchanged but whose entry is made anew
     */
    record State(List<Odd> odd, List<Path> dirs, Map<String, Local> unknown, Map<String, Content> modified,
            List<String> deleted, Map<String, Content> created, Map<String, String> renames,
            List<Refresh> refreshes) {

        /** Copies everything, in path order where the order is the sync's. */
        State {
            odd = List.copyOf(odd);
            dirs = List.copyOf(dirs);
            unknown = Map.copyOf(unknown);
            modified = Collections.unmodifiableMap(new TreeMap<>(modified));
            deleted = List.copyOf(new TreeSet<>(deleted));
            created = Collections.unmodifiableMap(new TreeMap<>(created));
            renames = Collections.unmodifiableMap(new LinkedHashMap<>(renames));
            refreshes = List.copyOf(refreshes);
        }

        /**
         * Returns whether the host side changed since the manifest was written.
         *
         * @return whether any file was modified, deleted, created, or is odd
         */
        boolean changed() {
            return !modified.isEmpty() || !deleted.isEmpty() || !created.isEmpty() || !odd.isEmpty();
        }
    }

    private final Memories memories;
    private final Path mountRoot;
    private final String slug;
    private final boolean readOnly;
    private final long seenAt;
    private final Report report;

    private LocalScan(Memories memories, Path mountRoot, String slug, boolean readOnly, long seenAt, Report report) {
        this.memories = memories;
        this.mountRoot = mountRoot;
        this.slug = slug;
        this.readOnly = readOnly;
        this.seenAt = seenAt;
        this.report = report;
    }

    /**
     * Scans a mount directory against its manifest entries.
     *
     * @param memories the mount's store, for the store's form of each path
     * @param mountRoot the mount's host directory, which exists
     * @param slug the mount, for reports
     * @param readOnly whether the mount is read-only (then conflict copies count as new files)
     * @param entries the manifest's entries of the mount
     * @param seenAt when the scan started, in nanoseconds since the epoch, for racy entries
     * @param report where unreadable files are reported
     * @return what the scan found
     * @throws IOException if the directory cannot be walked
     */
    static State scan(Memories memories, Path mountRoot, String slug, boolean readOnly,
            Map<String, Manifest.Entry> entries, long seenAt, Report report) throws IOException {
        return new LocalScan(memories, mountRoot, slug, readOnly, seenAt, report).run(entries);
    }

    private State run(Map<String, Manifest.Entry> entries) throws IOException {
        Map<String, Local> files = new HashMap<>();
        List<Odd> odd = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        walk(files, odd, dirs);
        Map<String, Local> unknown = new HashMap<>(files);
        unknown.keySet().removeAll(entries.keySet());

        Map<String, Content> modified = new TreeMap<>();
        List<String> deleted = new ArrayList<>();
        List<Refresh> refreshes = new ArrayList<>();
        for (Map.Entry<String, Manifest.Entry> me : entries.entrySet()) {
            String path = me.getKey();
            Manifest.Entry e = me.getValue();
            Optional<Local> l = Optional.ofNullable(files.get(path));
            if (l.isEmpty()) {
                deleted.add(path);
            } else if (e.racy() || !statEquals(e, l.get().attrs())) {
                read(path, l.get()).ifPresent(c -> {
                    if (c.sha().equals(e.sha())) {
                        Manifest.Entry fresh = MountSync.entry(e.memoryId(), e.sha(), c.attrs(), seenAt);
                        refreshes.add(new Refresh(path, c.host(), fresh, !fresh.equals(e)));
                    } else {
                        modified.put(path, c);
                    }
                });
            }
        }
        Map<String, Content> created = new TreeMap<>();
        for (Map.Entry<String, Local> f : new TreeMap<>(unknown).entrySet()) {
            read(f.getKey(), f.getValue()).ifPresent(c -> created.put(f.getKey(), c));
        }
        Map<String, Deque<String>> bySha = new HashMap<>();
        created.forEach((path, c) -> bySha.computeIfAbsent(c.sha(), k -> new ArrayDeque<>()).add(path));
        Map<String, String> renames = new LinkedHashMap<>();
        for (String from : new TreeSet<>(deleted)) {
            Deque<String> targets = bySha.getOrDefault(entries.get(from).sha(), new ArrayDeque<>());
            if (!targets.isEmpty()) {
                renames.put(from, targets.poll());
            }
        }
        return new State(odd, dirs, unknown, modified, deleted, created, renames, refreshes);
    }

    private void walk(Map<String, Local> files, List<Odd> odd, List<Path> dirs) throws IOException {
        if (!Files.isDirectory(mountRoot, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(mountRoot, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(mountRoot)) {
                    dirs.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String path = memoryPath(file);
                if (attrs.isSymbolicLink()) {
                    odd.add(new Odd(path, file, RefusalReason.SYMLINK));
                } else if (!attrs.isRegularFile()) {
                    odd.add(new Odd(path, file, RefusalReason.SPECIAL_FILE));
                } else if (readOnly || !HostFiles.isConflictName(file.getFileName().toString())) {
                    files.put(path, new Local(file, attrs));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                report.failure(slug, memoryPath(file), "io_error", "cannot read " + file + ": " + e);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * The store's form of a host path below the mount root (NFC); a path the store refuses stays as it is, so that
     * its push says why.
     *
     * @param memories the mount's store
     * @param mountRoot the mount's host directory
     * @param file a path below it
     * @return the memory path
     */
    static String memoryPath(Memories memories, Path mountRoot, Path file) {
        String rel = file.toString().substring(mountRoot.toString().length());
        try {
            return memories.normalizePath(rel);
        } catch (MemoryException refused) {
            return rel;
        }
    }

    private String memoryPath(Path file) {
        return memoryPath(memories, mountRoot, file);
    }

    private Optional<Content> read(String path, Local l) {
        try {
            if (l.attrs().size() > MAX_READ_BYTES) {
                report.refused(slug, path, RefusalReason.TOO_LARGE, false, Optional.empty(), l.host() + " has "
                        + l.attrs().size() + " bytes, far more than any store takes; it is not synchronised");
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(l.host());
            return Optional.of(new Content(l.host(), l.attrs(), bytes, HostFiles.sha256(bytes), HostFiles.utf8(bytes)));
        } catch (IOException e) {
            report.failure(slug, path, "io_error", "cannot read " + l.host() + ": " + e);
            return Optional.empty();
        }
    }

    private static boolean statEquals(Manifest.Entry e, BasicFileAttributes a) {
        return e.size() == a.size() && e.mtimeNanos() == HostFiles.mtimeNanos(a)
                && e.fileKey().equals(HostFiles.fileKey(a));
    }
}
