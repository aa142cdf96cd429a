package dev.agentmemory.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentmemory.fs.NioHarness.Cap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NIO scenario suite: each test is a sequence of {@link Files} calls whose results or exception types are
 * asserted. It runs against Jimfs (the oracle, which proves the expectations are what a JDK file system does) and
 * against the memory file system over each backend. Where the memory file system deliberately differs, the scenario
 * branches on a {@link Cap capability} flag.
 */
abstract class NioScenarioSuite {

    protected NioHarness h;
    protected FileSystem fs;
    protected Path notes;
    protected Path other;

    protected abstract NioHarness open() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        h = open();
        fs = h.fs();
        notes = h.notes();
        other = h.other();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static List<String> names(Stream<Path> paths) {
        try (paths) {
            return paths.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    // ---------------------------------------------------------------- paths

    @Test
    void pathsResolveRelativizeNormalize() {
        Path a = fs.getPath("/mnt/memory/notes/a");
        assertThat(a.resolve("b/c").toString()).isEqualTo("/mnt/memory/notes/a/b/c");
        assertThat(a.resolve("/x").toString()).isEqualTo("/x");
        assertThat(a.resolveSibling("z").toString()).isEqualTo("/mnt/memory/notes/z");
        assertThat(a.relativize(fs.getPath("/mnt/memory/other/b")).toString()).isEqualTo("../../other/b");
        assertThat(a.relativize(a).toString()).isEmpty();
        assertThat(fs.getPath("/mnt/./memory/x/../notes//a/").normalize()).isEqualTo(a);
        assertThat(fs.getPath("a/../../b").normalize().toString()).isEqualTo("../b");
        assertThat(a.getFileName().toString()).isEqualTo("a");
        assertThat(a.getParent().toString()).isEqualTo("/mnt/memory/notes");
        assertThat(a.getRoot().toString()).isEqualTo("/");
        assertThat(a.getNameCount()).isEqualTo(4);
        assertThat(a.subpath(1, 3).toString()).isEqualTo("memory/notes");
        assertThat(a.startsWith("/mnt/memory")).isTrue();
        assertThat(a.startsWith("/mnt/mem")).isFalse();
        assertThat(a.endsWith("notes/a")).isTrue();
        assertThat(fs.getPath("b").isAbsolute()).isFalse();
        assertThat(fs.getPath("").getNameCount()).isEqualTo(1);
        assertThrows(IllegalArgumentException.class, () -> a.relativize(fs.getPath("rel")));
    }

    @Test
    void pathEquality() {
        Path a = fs.getPath("/mnt/memory/notes/a");
        assertThat(a).isEqualTo(fs.getPath("/mnt", "memory", "notes", "a"));
        assertThat(a.hashCode()).isEqualTo(fs.getPath("/mnt/memory/notes/a/").hashCode());
        assertThat(a).isNotEqualTo(fs.getPath("/mnt/memory/notes/A"));
        assertThat(a.compareTo(fs.getPath("/mnt/memory/notes/b"))).isNegative();
        assertThat(a).isNotEqualTo(Paths.get("/mnt/memory/notes/a"));
    }

    @Test
    void foreignPathsAreAProviderMismatch() {
        Path a = fs.getPath("/mnt/memory/notes/a");
        Path foreign = Paths.get("/tmp/x");
        assertThrows(ProviderMismatchException.class, () -> a.resolve(foreign));
        assertThrows(ProviderMismatchException.class, () -> a.relativize(foreign));
        assertThrows(ProviderMismatchException.class, () -> fs.provider().delete(foreign));
        assertThat(a.startsWith(foreign)).isFalse();
    }

    @Test
    void toUriRoundTrip() throws IOException {
        Path file = notes.resolve("dir/with space é.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
        URI uri = file.toUri();
        assertThat(Paths.get(uri)).isEqualTo(file);
        URI dirUri = file.getParent().toUri();
        assertThat(dirUri.getPath()).endsWith("/");
        assertThat(Paths.get(dirUri)).isEqualTo(file.getParent());
    }

    // ---------------------------------------------------------------- reading and writing

    @Test
    void writeStringThenReadString() throws IOException {
        Path f = notes.resolve("a.md");
        Files.writeString(f, "héllo ✓\n");
        assertThat(Files.readString(f)).isEqualTo("héllo ✓\n");
        assertThat(Files.size(f)).isEqualTo("héllo ✓\n".getBytes(UTF_8).length);
        Files.writeString(f, "second");
        assertThat(Files.readString(f)).isEqualTo("second");
    }

    @Test
    void writeLinesThenReadAllLines() throws IOException {
        Path f = notes.resolve("lines.txt");
        Files.write(f, List.of("one", "two", "three"));
        assertThat(Files.readAllLines(f)).containsExactly("one", "two", "three");
        Files.write(f, "four\n".getBytes(UTF_8), APPEND);
        assertThat(Files.readAllLines(f)).containsExactly("one", "two", "three", "four");
        assertThat(Files.readAllBytes(f)).isEqualTo("one\ntwo\nthree\nfour\n".getBytes(UTF_8));
    }

    @Test
    void emptyFile() throws IOException {
        Path f = notes.resolve("empty");
        Files.write(f, new byte[0]);
        assertThat(Files.exists(f)).isTrue();
        assertThat(Files.size(f)).isZero();
        assertThat(Files.readString(f)).isEmpty();
    }

    @Test
    void readingMissingFileFails() {
        assertThrows(NoSuchFileException.class, () -> Files.readString(notes.resolve("missing")));
        assertThrows(NoSuchFileException.class, () -> Files.newInputStream(notes.resolve("missing")));
        assertThrows(NoSuchFileException.class, () -> Files.size(notes.resolve("missing")));
    }

    @Test
    void writingUnderAMissingDirectoryFails() {
        assertThrows(NoSuchFileException.class, () -> Files.writeString(notes.resolve("no/such/dir.md"), "x"));
    }

    @Test
    void readingADirectoryFails() throws IOException {
        Files.createDirectory(notes.resolve("d"));
        assertThrows(IOException.class, () -> Files.readString(notes.resolve("d")));
        assertThrows(IOException.class, () -> Files.writeString(notes.resolve("d"), "x"));
    }

    @Test
    void createNewRefusesAnExistingFile() throws IOException {
        Path f = notes.resolve("f");
        Files.writeString(f, "a", CREATE_NEW, WRITE);
        assertThrows(FileAlreadyExistsException.class, () -> Files.writeString(f, "b", CREATE_NEW, WRITE));
        assertThat(Files.readString(f)).isEqualTo("a");
    }

    @Test
    void writeWithoutCreateNeedsAnExistingFile() throws IOException {
        Path f = notes.resolve("f");
        assertThrows(NoSuchFileException.class, () -> Files.writeString(f, "x", WRITE));
        assertThrows(NoSuchFileException.class, () -> Files.writeString(f, "x", WRITE, TRUNCATE_EXISTING));
        assertThat(Files.exists(f)).isFalse();
    }

    @Test
    void invalidOptionCombinationsAreRejected() throws IOException {
        Path f = notes.resolve("f");
        Files.writeString(f, "abc");
        // The JDK's own file systems throw IllegalArgumentException here, Jimfs UnsupportedOperationException;
        // the memory file system follows the JDK (NioViewTest checks the exact type).
        assertThat(assertThrows(RuntimeException.class, () -> Files.newByteChannel(f, READ, APPEND)))
                .isInstanceOfAny(IllegalArgumentException.class, UnsupportedOperationException.class);
        if (!h.has(Cap.LAX_APPEND_TRUNCATE)) {
            assertThrows(IllegalArgumentException.class, () -> Files.newByteChannel(f, APPEND, TRUNCATE_EXISTING));
        }
        assertThrows(UnsupportedOperationException.class, () -> Files.newInputStream(f, WRITE));
        assertThrows(UnsupportedOperationException.class, () -> Files.newInputStream(f, APPEND));
        assertThat(assertThrows(RuntimeException.class, () -> Files.newOutputStream(f, READ)))
                .isInstanceOfAny(IllegalArgumentException.class, UnsupportedOperationException.class);
        assertThat(Files.readString(f)).isEqualTo("abc");
    }

    @Test
    void appendTruncateAndOverwrite() throws IOException {
        Path f = notes.resolve("f");
        Files.writeString(f, "hello");
        Files.writeString(f, " world", APPEND);
        assertThat(Files.readString(f)).isEqualTo("hello world");
        try (OutputStream out = Files.newOutputStream(f, WRITE)) {
            out.write("J".getBytes(UTF_8)); // no TRUNCATE_EXISTING: overwrites in place
        }
        assertThat(Files.readString(f)).isEqualTo("Jello world");
        Files.writeString(f, "x", WRITE, TRUNCATE_EXISTING);
        assertThat(Files.readString(f)).isEqualTo("x");
        try (OutputStream out = Files.newOutputStream(f, APPEND, CREATE)) {
            out.write('y');
        }
        assertThat(Files.readString(f)).isEqualTo("xy");
    }

    @Test
    void byteChannelReadWriteSeek() throws IOException {
        Path f = notes.resolve("c");
        try (SeekableByteChannel ch = Files.newByteChannel(f, CREATE, WRITE, READ)) {
            ch.write(ByteBuffer.wrap("abcdef".getBytes(UTF_8)));
            assertThat(ch.size()).isEqualTo(6);
            ch.position(2);
            ByteBuffer two = ByteBuffer.allocate(2);
            ch.read(two);
            assertThat(new String(two.array(), UTF_8)).isEqualTo("cd");
            ch.truncate(3);
            assertThat(ch.size()).isEqualTo(3);
            assertThat(ch.position()).isEqualTo(3);
        }
        assertThat(Files.readString(f)).isEqualTo("abc");
        try (SeekableByteChannel ch = Files.newByteChannel(f)) {
            assertThrows(java.nio.channels.NonWritableChannelException.class,
                    () -> ch.write(ByteBuffer.wrap(new byte[] {1})));
        }
        try (InputStream in = Files.newInputStream(f)) {
            assertThat(in.readAllBytes()).isEqualTo("abc".getBytes(UTF_8));
        }
    }

    @Test
    void createdBeforeClose() throws IOException {
        Path f = notes.resolve("pending");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write('x');
            assertThat(Files.exists(f)).isEqualTo(h.has(Cap.CREATED_ON_OPEN));
        }
        assertThat(Files.readString(f)).isEqualTo("x");
    }

    // ---------------------------------------------------------------- copy and move

    @Test
    void copyFile() throws IOException {
        Path a = notes.resolve("a");
        Path b = notes.resolve("b");
        Files.writeString(a, "A");
        Files.copy(a, b);
        assertThat(Files.readString(b)).isEqualTo("A");
        assertThat(Files.readString(a)).isEqualTo("A");
        Files.writeString(a, "A2");
        assertThrows(FileAlreadyExistsException.class, () -> Files.copy(a, b));
        Files.copy(a, b, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(b)).isEqualTo("A2");
        Files.copy(a, other.resolve("a"));
        assertThat(Files.readString(other.resolve("a"))).isEqualTo("A2");
        assertThrows(NoSuchFileException.class, () -> Files.copy(notes.resolve("missing"), notes.resolve("c")));
    }

    @Test
    void aDirectoryWhoseOnlyChildIsAnEmptyDirectoryStays() throws IOException {
        Files.createDirectories(notes.resolve("d/e"));
        Files.writeString(notes.resolve("d/e/f"), "x");
        Files.delete(notes.resolve("d/e/f"));
        assertThat(Files.isDirectory(notes.resolve("d/e"))).isTrue();
        assertThat(Files.isDirectory(notes.resolve("d"))).isTrue();
        assertThat(names(Files.list(notes))).containsExactly("d");
        assertThat(names(Files.list(notes.resolve("d")))).containsExactly("e");
    }

    @Test
    void copyDirectoryCopiesOnlyTheDirectory() throws IOException {
        Files.createDirectories(notes.resolve("d"));
        Files.writeString(notes.resolve("d/f"), "x");
        Files.copy(notes.resolve("d"), notes.resolve("e"));
        assertThat(Files.isDirectory(notes.resolve("e"))).isTrue();
        assertThat(names(Files.list(notes.resolve("e")))).isEmpty();
    }

    @Test
    void moveFile() throws IOException {
        Path a = notes.resolve("a");
        Path b = notes.resolve("sub/b");
        Files.writeString(a, "A");
        Files.createDirectory(notes.resolve("sub"));
        Files.move(a, b);
        assertThat(Files.exists(a)).isFalse();
        assertThat(Files.readString(b)).isEqualTo("A");
        Files.writeString(a, "new");
        assertThrows(FileAlreadyExistsException.class, () -> Files.move(a, b));
        Files.move(a, b, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(b)).isEqualTo("new");
        assertThat(Files.exists(a)).isFalse();
        Files.move(b, notes.resolve("c"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.readString(notes.resolve("c"))).isEqualTo("new");
        assertThrows(NoSuchFileException.class, () -> Files.move(a, notes.resolve("z")));
    }

    @Test
    void moveFileAcrossMounts() throws IOException {
        Path a = notes.resolve("a");
        Files.writeString(a, "A");
        Files.move(a, other.resolve("a"));
        assertThat(Files.exists(a)).isFalse();
        assertThat(Files.readString(other.resolve("a"))).isEqualTo("A");
        if (h.has(Cap.ONE_STORE_ACROSS_MOUNTS)) {
            Files.move(other.resolve("a"), a, StandardCopyOption.ATOMIC_MOVE);
            assertThat(Files.exists(a)).isTrue();
        } else {
            assertThrows(AtomicMoveNotSupportedException.class,
                    () -> Files.move(other.resolve("a"), a, StandardCopyOption.ATOMIC_MOVE));
            assertThat(Files.exists(a)).isFalse();
            assertThat(Files.readString(other.resolve("a"))).isEqualTo("A");
        }
    }

    @Test
    void moveDirectory() throws IOException {
        Files.createDirectories(notes.resolve("d/sub"));
        Files.writeString(notes.resolve("d/x"), "x");
        Files.writeString(notes.resolve("d/sub/y"), "y");
        Files.move(notes.resolve("d"), notes.resolve("e"));
        assertThat(Files.exists(notes.resolve("d"))).isFalse();
        assertThat(Files.readString(notes.resolve("e/x"))).isEqualTo("x");
        assertThat(Files.readString(notes.resolve("e/sub/y"))).isEqualTo("y");
        Files.createDirectories(notes.resolve("f"));
        Files.writeString(notes.resolve("f/z"), "z");
        assertThrows(FileAlreadyExistsException.class, () -> Files.move(notes.resolve("e"), notes.resolve("f")));
        assertThrows(DirectoryNotEmptyException.class,
                () -> Files.move(notes.resolve("e"), notes.resolve("f"), StandardCopyOption.REPLACE_EXISTING));
        Files.move(notes.resolve("e"), notes.resolve("g"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(names(Files.list(notes.resolve("g")))).containsExactly("sub", "x");
        assertThrows(IOException.class, () -> Files.move(notes.resolve("g"), notes.resolve("g/sub/inner")));
    }

    @Test
    void moveEmptyDirectory() throws IOException {
        Files.createDirectory(notes.resolve("empty"));
        Files.move(notes.resolve("empty"), notes.resolve("moved"));
        assertThat(Files.isDirectory(notes.resolve("moved"))).isTrue();
        assertThat(Files.exists(notes.resolve("empty"))).isFalse();
    }

    @Test
    void moveNonEmptyDirectoryAcrossMounts() throws IOException {
        Files.createDirectory(notes.resolve("d"));
        Files.writeString(notes.resolve("d/x"), "x");
        if (h.has(Cap.ONE_STORE_ACROSS_MOUNTS)) {
            Files.move(notes.resolve("d"), other.resolve("d"));
            assertThat(Files.readString(other.resolve("d/x"))).isEqualTo("x");
        } else {
            // As the JDK does between file stores: a directory whose entries would have to move is refused.
            assertThrows(DirectoryNotEmptyException.class, () -> Files.move(notes.resolve("d"), other.resolve("d")));
            assertThat(Files.readString(notes.resolve("d/x"))).isEqualTo("x");
            assertThat(Files.exists(other.resolve("d"))).isFalse();
        }
    }

    // ---------------------------------------------------------------- delete and directories

    @Test
    void deleteFilesAndDirectories() throws IOException {
        Files.createDirectories(notes.resolve("d"));
        Files.writeString(notes.resolve("d/f"), "x");
        assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(notes.resolve("d")));
        Files.delete(notes.resolve("d/f"));
        assertThat(Files.exists(notes.resolve("d/f"))).isFalse();
        assertThat(Files.isDirectory(notes.resolve("d"))).isTrue(); // emptied, not gone
        Files.delete(notes.resolve("d"));
        assertThat(Files.exists(notes.resolve("d"))).isFalse();
        assertThrows(NoSuchFileException.class, () -> Files.delete(notes.resolve("d")));
        assertThat(Files.deleteIfExists(notes.resolve("d"))).isFalse();
    }

    @Test
    void deleteATreeBottomUp() throws IOException {
        Files.createDirectories(notes.resolve("t/a/b"));
        Files.writeString(notes.resolve("t/a/b/f"), "x");
        Files.writeString(notes.resolve("t/g"), "y");
        Files.createDirectories(notes.resolve("t/empty/deeper"));
        Files.walkFileTree(notes.resolve("t"), new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        assertThat(Files.exists(notes.resolve("t"))).isFalse();
        assertThat(Files.isDirectory(notes)).isTrue();
        assertThat(names(Files.list(notes))).isEmpty();
    }

    @Test
    void createDirectoryAndDirectories() throws IOException {
        Path d = notes.resolve("a");
        Files.createDirectory(d);
        assertThat(Files.isDirectory(d)).isTrue();
        assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(d));
        assertThrows(NoSuchFileException.class, () -> Files.createDirectory(notes.resolve("x/y")));
        Files.createDirectories(notes.resolve("b/c/d"));
        assertThat(Files.isDirectory(notes.resolve("b/c/d"))).isTrue();
        Files.createDirectories(notes.resolve("b/c/d"));
        Files.createDirectories(notes);
        Files.writeString(notes.resolve("file"), "x");
        assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(notes.resolve("file")));
        assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectories(notes.resolve("file")));
        assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(notes));
        assertThat(names(Files.list(notes))).containsExactly("a", "b", "file");
    }

    @Test
    void emptyDirectoryAcrossFileSystemInstances() throws IOException {
        Files.createDirectory(notes.resolve("empty"));
        Files.createDirectory(notes.resolve("full"));
        Files.writeString(notes.resolve("full/f"), "x");
        FileSystem again = h.reopen();
        assertThat(Files.isDirectory(again.getPath("/mnt/memory/notes/full"))).isTrue();
        assertThat(Files.exists(again.getPath("/mnt/memory/notes/empty"))).isEqualTo(h.has(Cap.EMPTY_DIRS_PERSIST));
    }

    @Test
    void directoryStreamAndList() throws IOException {
        Files.createDirectories(notes.resolve("d/sub"));
        for (String n : List.of("b.md", "a.md", "c.txt")) {
            Files.writeString(notes.resolve("d").resolve(n), n);
        }
        List<String> all = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(notes.resolve("d"))) {
            for (Path p : ds) {
                assertThat(p.getParent()).isEqualTo(notes.resolve("d"));
                all.add(p.getFileName().toString());
            }
        }
        assertThat(all).containsExactlyInAnyOrder("a.md", "b.md", "c.txt", "sub");
        List<String> md = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(notes.resolve("d"), "*.md")) {
            ds.forEach(p -> md.add(p.getFileName().toString()));
        }
        assertThat(md).containsExactlyInAnyOrder("a.md", "b.md");
        assertThat(names(Files.list(notes.resolve("d")))).containsExactly("a.md", "b.md", "c.txt", "sub");
        assertThrows(NotDirectoryException.class, () -> Files.newDirectoryStream(notes.resolve("d/a.md")));
        assertThrows(NoSuchFileException.class, () -> Files.list(notes.resolve("missing")));
        assertThat(names(Files.list(fs.getPath("/mnt/memory")))).containsExactly("notes", "other");
    }

    @Test
    void directoryStreamIteratorOnlyOnce() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(notes)) {
            ds.iterator();
            assertThrows(IllegalStateException.class, ds::iterator);
        }
    }

    @Test
    void walkAndFind() throws IOException {
        Files.createDirectories(notes.resolve("a/b"));
        Files.writeString(notes.resolve("a/x.md"), "x");
        Files.writeString(notes.resolve("a/b/y.md"), "y");
        Files.writeString(notes.resolve("z.txt"), "z");
        List<String> walked;
        try (Stream<Path> s = Files.walk(notes)) {
            walked = s.map(p -> notes.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
        assertThat(walked).containsExactly("", "a", "a/b", "a/b/y.md", "a/x.md", "z.txt");
        List<String> found;
        try (Stream<Path> s = Files.find(notes, 10, (p, a) -> a.isRegularFile() && p.toString().endsWith(".md"))) {
            found = s.map(p -> notes.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
        assertThat(found).containsExactly("a/b/y.md", "a/x.md");
        try (Stream<Path> s = Files.walk(notes, 1)) {
            assertThat(s.count()).isEqualTo(3);
        }
    }

    @Test
    void existsAndKinds() throws IOException {
        Path f = notes.resolve("f");
        assertThat(Files.exists(f)).isFalse();
        assertThat(Files.notExists(f)).isTrue();
        Files.writeString(f, "x");
        assertThat(Files.exists(f)).isTrue();
        assertThat(Files.isRegularFile(f)).isTrue();
        assertThat(Files.isDirectory(f)).isFalse();
        assertThat(Files.isDirectory(notes)).isTrue();
        assertThat(Files.isDirectory(fs.getPath("/mnt/memory"))).isTrue();
        assertThat(Files.isDirectory(fs.getPath("/"))).isTrue();
        assertThat(Files.isSymbolicLink(f)).isFalse();
        assertThat(Files.isReadable(f)).isTrue();
        assertThat(Files.isWritable(f)).isTrue();
    }

    @Test
    void isSameFile() throws IOException {
        Path f = notes.resolve("f");
        Files.writeString(f, "x");
        assertThat(Files.isSameFile(f, notes.resolve("./f"))).isTrue();
        assertThat(Files.isSameFile(f, fs.getPath("/mnt/memory/notes/../notes/f"))).isTrue();
        Files.writeString(notes.resolve("g"), "x");
        assertThat(Files.isSameFile(f, notes.resolve("g"))).isFalse();
        assertThat(Files.isSameFile(f, Paths.get("/tmp"))).isFalse();
    }

    @Test
    void basicAttributes() throws IOException {
        Path f = notes.resolve("f");
        Instant before = Instant.now().minusSeconds(5);
        Files.writeString(f, "12345");
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        assertThat(a.isRegularFile()).isTrue();
        assertThat(a.isDirectory()).isFalse();
        assertThat(a.isSymbolicLink()).isFalse();
        assertThat(a.size()).isEqualTo(5);
        assertThat(a.lastModifiedTime().toInstant()).isAfter(before);
        assertThat(a.fileKey()).isNotNull();
        assertThat(Files.readAttributes(notes, BasicFileAttributes.class).isDirectory()).isTrue();
        Map<String, Object> byName = Files.readAttributes(f, "size,isRegularFile");
        assertThat(byName).containsEntry("size", 5L).containsEntry("isRegularFile", true);
        assertThat(Files.getAttribute(f, "basic:size")).isEqualTo(5L);
        assertThat(Files.getLastModifiedTime(f)).isEqualTo(a.lastModifiedTime());
        assertThrows(NoSuchFileException.class,
                () -> Files.readAttributes(notes.resolve("missing"), BasicFileAttributes.class));
        if (h.has(Cap.POSIX)) {
            assertThat(Files.readAttributes(f, PosixFileAttributes.class).permissions()).isNotEmpty();
        } else {
            assertThrows(UnsupportedOperationException.class,
                    () -> Files.readAttributes(f, PosixFileAttributes.class));
        }
    }

    // ---------------------------------------------------------------- deliberate differences

    @Test
    void outsideTheMounts() throws IOException {
        Path outside = fs.getPath("/mnt/memory/new.md");
        if (h.has(Cap.WRITABLE_ROOT)) {
            Files.writeString(outside, "x");
            Files.createDirectory(fs.getPath("/tmp"));
            Files.delete(fs.getPath("/tmp"));
        } else {
            assertThrows(AccessDeniedException.class, () -> Files.writeString(outside, "x"));
            assertThrows(AccessDeniedException.class, () -> Files.createDirectory(fs.getPath("/tmp")));
            assertThrows(AccessDeniedException.class, () -> Files.createDirectory(fs.getPath("/mnt/memory/new")));
            assertThrows(AccessDeniedException.class, () -> Files.delete(notes));
            assertThrows(AccessDeniedException.class, () -> Files.move(notes, fs.getPath("/mnt/memory/renamed")));
            assertThat(Files.exists(outside)).isFalse();
            assertThat(Files.isWritable(fs.getPath("/mnt/memory"))).isFalse();
        }
        assertThat(Files.exists(fs.getPath("/mnt/memory/nosuchmount/x"))).isFalse();
        assertThrows(NoSuchFileException.class,
                () -> Files.writeString(fs.getPath("/mnt/memory/nosuchmount/x"), "x"));
    }

    @Test
    void symbolicLinks() throws IOException {
        Path f = notes.resolve("f");
        Files.writeString(f, "x");
        if (h.has(Cap.SYMLINKS)) {
            Files.createSymbolicLink(notes.resolve("link"), f);
            assertThat(Files.readString(notes.resolve("link"))).isEqualTo("x");
        } else {
            assertThrows(UnsupportedOperationException.class,
                    () -> Files.createSymbolicLink(notes.resolve("link"), f));
        }
    }

    @Test
    void contentSizeLimit() throws IOException {
        Path f = notes.resolve("big");
        byte[] big = "a".repeat(102_401).getBytes(UTF_8);
        if (h.has(Cap.UNLIMITED_SIZE)) {
            Files.write(f, big);
            assertThat(Files.size(f)).isEqualTo(102_401);
        } else {
            FileSystemException e = assertThrows(FileSystemException.class, () -> Files.write(f, big));
            assertThat(e.getReason()).contains("content_size_bytes");
            assertThat(Files.exists(f)).isFalse();
        }
        Files.write(f, "a".repeat(102_400).getBytes(UTF_8));
        assertThat(Files.size(f)).isEqualTo(102_400);
    }

    @Test
    void binaryContent() throws IOException {
        Path f = notes.resolve("bin");
        byte[] bad = {(byte) 0xff, (byte) 0xfe, 0};
        if (h.has(Cap.BINARY_CONTENT)) {
            Files.write(f, bad);
            assertThat(Files.readAllBytes(f)).isEqualTo(bad);
        } else {
            FileSystemException e = assertThrows(FileSystemException.class, () -> Files.write(f, bad));
            assertThat(e.getReason()).contains("UTF-8");
            assertThat(Files.exists(f)).isFalse();
        }
    }

    // ---------------------------------------------------------------- watch service and close

    private static List<String> awaitEvents(WatchService ws, int atLeast) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (seen.size() < atLeast && System.nanoTime() < deadline) {
            WatchKey key = ws.poll(100, TimeUnit.MILLISECONDS);
            if (key != null) {
                for (WatchEvent<?> e : key.pollEvents()) {
                    seen.add(e.kind().name() + " " + e.context());
                }
                key.reset();
            }
        }
        return seen;
    }

    @Test
    void watchService() throws Exception {
        Files.writeString(notes.resolve("existing"), "0");
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = notes.register(ws, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            assertThat(key.watchable()).isEqualTo(notes);
            Files.writeString(notes.resolve("new.md"), "x");
            assertThat(awaitEvents(ws, 1)).contains("ENTRY_CREATE new.md");
            Files.writeString(notes.resolve("existing"), "1");
            assertThat(awaitEvents(ws, 1)).contains("ENTRY_MODIFY existing");
            Files.delete(notes.resolve("new.md"));
            assertThat(awaitEvents(ws, 1)).contains("ENTRY_DELETE new.md");
            key.cancel();
            assertThat(key.isValid()).isFalse();
        }
    }

    @Test
    void closingTheFileSystemClosesWhatItOpened() throws IOException {
        Files.writeString(notes.resolve("f"), "x");
        SeekableByteChannel ch = Files.newByteChannel(notes.resolve("f"));
        DirectoryStream<Path> ds = Files.newDirectoryStream(notes);
        WatchService ws = fs.newWatchService();
        fs.close();
        assertThat(fs.isOpen()).isFalse();
        assertThat(ch.isOpen()).isFalse();
        assertThrows(java.nio.file.ClosedWatchServiceException.class, ws::poll);
        assertThrows(IllegalStateException.class, ds::iterator);
        assertThrows(java.nio.file.ClosedFileSystemException.class, () -> Files.readString(notes.resolve("f")));
    }
}
