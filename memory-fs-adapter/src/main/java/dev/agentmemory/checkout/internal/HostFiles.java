package dev.agentmemory.checkout.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Host file helpers: atomic writes, hashing, strict UTF-8, conflict names, read-only trees. */
final class HostFiles {

    /** A file whose mtime is this close to the moment it was seen may change again unseen within the same tick. */
    static final long RACY_NANOS = TimeUnit.SECONDS.toNanos(2);

    static final Set<PosixFilePermission> RO_FILE = PosixFilePermissions.fromString("r--r--r--");
    static final Set<PosixFilePermission> RO_DIR = PosixFilePermissions.fromString("r-xr-xr-x");
    static final Set<PosixFilePermission> RW_FILE = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> RW_DIR = PosixFilePermissions.fromString("rwxr-xr-x");

    static final String CONFLICT_MARKER = ".conflict-";
    private static final Pattern CONFLICT_NAME = Pattern.compile(".*\\.conflict-\\d{8}T\\d{6}Z(-\\d+)?(\\.[^.]*)?");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter STAMP_DIR =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private HostFiles() {
    }

    static boolean isConflictName(String fileName) {
        return fileName.contains(CONFLICT_MARKER) && CONFLICT_NAME.matcher(fileName).matches();
    }

    /** {@code notes.md} becomes {@code notes.conflict-20261125T033512Z.md}, then {@code -2}, {@code -3}... */
    static Path conflictSibling(Path file, Instant now) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String stamp = base + CONFLICT_MARKER + STAMP.format(now);
        Path candidate = file.resolveSibling(stamp + ext);
        for (int n = 2; Files.exists(candidate, LinkOption.NOFOLLOW_LINKS); n++) {
            candidate = file.resolveSibling(stamp + "-" + n + ext);
        }
        return candidate;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes strictly; empty if the bytes are not valid UTF-8. */
    static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static long mtimeNanos(BasicFileAttributes a) {
        return a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    static String fileKey(BasicFileAttributes a) {
        Object key = a.fileKey();
        return key == null ? "-" : key.toString().replace('\t', ' ');
    }

    static boolean isRacy(BasicFileAttributes a, long seenAtNanos) {
        return mtimeNanos(a) > seenAtNanos - RACY_NANOS;
    }

    /** An instant as nanoseconds since the epoch, as file times are compared. */
    static long nanos(Instant t) {
        return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
    }

    /**
     * Writes a file the checkout owns: to a temporary sibling, then moved into place atomically, with its mtime set
     * back to {@code mtime} (at least {@link #RACY_NANOS} in the past) so any later write by anyone changes it.
     */
    static BasicFileAttributes writeOwned(Path tmpDir, Path file, byte[] bytes, boolean readOnly, Instant mtime,
            Instant now) throws IOException {
        Path parent = file.getParent();
        createDirectories(parent, readOnly);
        Path tmp = Files.createTempFile(tmpDir, "pull-", ".tmp");
        try {
            Files.write(tmp, bytes);
            Instant latest = now.minusNanos(RACY_NANOS + TimeUnit.MILLISECONDS.toNanos(500));
            Files.setLastModifiedTime(tmp, FileTime.from(mtime.isBefore(latest) ? mtime : latest));
            setPermissions(tmp, readOnly ? RO_FILE : RW_FILE);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    static void createDirectories(Path dir, boolean readOnly) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        createDirectories(dir.getParent(), readOnly);
        Files.createDirectory(dir);
        // Read-only trees are unlocked while the checkout writes and locked again afterwards.
    }

    static void setPermissions(Path path, Set<PosixFilePermission> perms) {
        try {
            Files.setPosixFilePermissions(path, perms);
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: permissions are advisory there; the undo at sync still applies.
        }
    }

    /** Deletes the directories from {@code dir} up to, not including, {@code stop} while they are empty. */
    static void removeEmptyParents(Path dir, Path stop) {
        for (Path d = dir; d != null && !d.equals(stop) && d.startsWith(stop); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Gives the owner write access to every directory of a tree (read-only mounts, before the checkout writes). */
    static void unlockTree(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                setPermissions(dir, RW_DIR);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Makes every file and directory of a tree read-only (read-only mounts). */
    static void lockTree(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    setPermissions(file, RO_FILE);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                setPermissions(dir, RO_DIR);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes a tree without following links. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
