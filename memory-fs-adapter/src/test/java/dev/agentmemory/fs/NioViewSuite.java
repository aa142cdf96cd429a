package dev.agentmemory.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.fs.internal.MemoryFileSystemProvider;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.VersionQuery;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.spi.FileSystemProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The store's rules seen through the file system view, over a real backend. */
abstract class NioViewSuite {

    protected MemoryHarness h;
    protected FileSystem fs;
    protected Path notes;
    protected Memories store;

    protected abstract MemoryHarness open() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        h = open();
        fs = h.fs();
        notes = h.notes();
        store = h.session.mount("notes");
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    /** Everything a write could change: the revision, every memory's path and SHA-256, every version. */
    static String snapshot(Memories m) {
        StringBuilder sb = new StringBuilder("revision " + m.revision() + "\n");
        ListQuery q = ListQuery.builder().limit(100).build();
        for (var e : m.list(q).items()) {
            Memory mem = (Memory) e;
            sb.append(mem.path()).append(' ').append(mem.contentSha256()).append('\n');
        }
        for (MemoryVersion v : m.versions(VersionQuery.builder().limit(100).build()).items()) {
            sb.append(v.id()).append('\n');
        }
        return sb.toString();
    }

    private List<MemoryVersion> versionsOf(Memory m) {
        return store.versions(VersionQuery.ofMemory(m.id()).limit(100).build()).items();
    }

    @Test
    void oneVersionPerCloseAttributedToTheSession() throws IOException {
        Path f = notes.resolve("log.md");
        try (OutputStream out = Files.newOutputStream(f)) {
            for (int i = 0; i < 50; i++) {
                out.write(("line " + i + "\n").getBytes(UTF_8));
                out.flush();
            }
        }
        Memory m = store.getByPath("/log.md");
        assertThat(versionsOf(m)).hasSize(1);
        assertThat(versionsOf(m).get(0).createdBy()).isEqualTo(Actor.session(h.session.id()));
        Files.writeString(f, "more\n", StandardOpenOption.APPEND);
        assertThat(versionsOf(m)).hasSize(2);
        assertThat(versionsOf(m).get(0).operation()).isEqualTo(Operation.MODIFIED);
        // Opening for writing and closing without a change writes nothing.
        Files.newOutputStream(f, StandardOpenOption.WRITE).close();
        assertThat(versionsOf(m)).hasSize(2);
        assertThat(store.getByPath("/log.md").text()).endsWith("line 49\nmore\n");
    }

    @Test
    void overTheLimitFailsNamingItAndWritesNothing() throws IOException {
        Files.writeString(notes.resolve("small.md"), "keep");
        String before = snapshot(store);
        byte[] big = "b".repeat(102_401).getBytes(UTF_8);
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> Files.write(notes.resolve("big.md"), big));
        assertThat(e.getReason()).contains("content_size_bytes").contains("102400");
        e = assertThrows(FileSystemException.class, () -> Files.write(notes.resolve("small.md"), big));
        assertThat(e.getReason()).contains("content_size_bytes");
        assertThat(snapshot(store)).isEqualTo(before);
        assertThat(Files.readString(notes.resolve("small.md"))).isEqualTo("keep");
    }

    private void assertEveryMutationDenied(FileSystem view, Path mount, Path writableElsewhere) throws IOException {
        Path existing = mount.resolve("existing.md");
        Path dir = mount.resolve("dir");
        List<Executable> mutations = List.of(
                () -> Files.writeString(mount.resolve("new.md"), "x"),
                () -> Files.writeString(existing, "changed"),
                () -> Files.writeString(existing, "more", StandardOpenOption.APPEND),
                () -> Files.newOutputStream(existing, StandardOpenOption.WRITE).close(),
                () -> Files.newByteChannel(existing, StandardOpenOption.WRITE).close(),
                () -> Files.delete(existing),
                () -> Files.delete(dir.resolve("inner.md")),
                () -> Files.move(existing, mount.resolve("moved.md")),
                () -> Files.move(dir, mount.resolve("moved-dir")),
                () -> Files.copy(existing, mount.resolve("copy.md")),
                () -> Files.copy(writableElsewhere, mount.resolve("copy2.md")),
                () -> Files.move(existing, writableElsewhere.resolveSibling("stolen.md")),
                () -> Files.createDirectory(mount.resolve("newdir")),
                () -> Files.createDirectories(mount.resolve("a/b")));
        for (Executable m : mutations) {
            assertThrows(AccessDeniedException.class, m);
        }
    }

    @Test
    void readOnlyMountDeniesEveryMutationAndWritesNothing() throws IOException {
        store.create("/existing.md", "original");
        store.create("/dir/inner.md", "inner");
        Session ro = h.workspace.sessions().create(List.of(AttachmentSpec.readOnly(h.notesStore.id()),
                AttachmentSpec.readWrite(h.otherStore.id())));
        try (FileSystem view = MemoryFileSystems.newFileSystem(ro)) {
            Path mount = view.getPath("/mnt/memory/notes");
            Path elsewhere = view.getPath("/mnt/memory/other/e.md");
            Files.writeString(elsewhere, "e");
            String before = snapshot(store);
            assertEveryMutationDenied(view, mount, elsewhere);
            assertThat(snapshot(store)).isEqualTo(before);
            assertThat(Files.readString(mount.resolve("existing.md"))).isEqualTo("original");
            assertThat(Files.isWritable(mount.resolve("existing.md"))).isFalse();
            assertThat(Files.getFileStore(mount).isReadOnly()).isTrue();
        }
    }

    @Test
    void archivedStoreDeniesEveryMutationAndWritesNothing() throws IOException {
        store.create("/existing.md", "original");
        store.create("/dir/inner.md", "inner");
        Files.writeString(h.other().resolve("e.md"), "e");
        h.workspace.stores().archive(h.notesStore.id());
        String before = snapshot(store);
        assertEveryMutationDenied(fs, notes, h.other().resolve("e.md"));
        assertThat(snapshot(store)).isEqualTo(before);
        assertThat(Files.readString(notes.resolve("existing.md"))).isEqualTo("original");
    }

    @Test
    void expectedShaWritesOnMatchAndFailsNamingTheCurrentShaOnMismatch() throws IOException {
        Path f = notes.resolve("cas.md");
        Files.writeString(f, "v1");
        String sha1 = Files.readAttributes(f, MemoryFileAttributes.class).contentSha256().orElseThrow();
        Files.writeString(f, "v2", ExpectedContentSha256.of(sha1));
        assertThat(Files.readString(f)).isEqualTo("v2");
        String sha2 = store.getByPath("/cas.md").contentSha256();

        String before = snapshot(store);
        ContentChangedException atOpen = assertThrows(ContentChangedException.class,
                () -> Files.writeString(f, "v3", ExpectedContentSha256.of(sha1)));
        assertThat(atOpen.currentSha256()).isEqualTo(sha2);
        assertThat(atOpen.getMessage()).contains(sha2);
        assertThat(snapshot(store)).isEqualTo(before);

        // Another writer slips in between open and close: the close fails and writes nothing.
        OutputStream out = Files.newOutputStream(f, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                ExpectedContentSha256.of(sha2));
        out.write("mine".getBytes(UTF_8));
        Memory theirs = store.update(store.getByPath("/cas.md").id(),
                dev.agentmemory.model.MemoryUpdate.content("theirs"));
        String afterTheirs = snapshot(store);
        ContentChangedException atClose = assertThrows(ContentChangedException.class, out::close);
        assertThat(atClose.currentSha256()).isEqualTo(theirs.contentSha256());
        assertThat(atClose.getMessage()).contains(theirs.contentSha256());
        assertThat(snapshot(store)).isEqualTo(afterTheirs);
        assertThat(Files.readString(f)).isEqualTo("theirs");
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> Files.writeString(notes.resolve("absent.md"), "x", ExpectedContentSha256.of(sha1)));
    }

    @Test
    void concurrentConditionalWritesNeverLoseAnUpdate() throws Exception {
        Path f = notes.resolve("journal");
        Files.writeString(f, "");
        int threads = 4;
        int appends = 20; // 1 + 4 x 20 versions fit one page of versions
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < appends; i++) {
                        while (true) {
                            // Read the content and its SHA-256 together, as an agent would: one read, hashed.
                            byte[] read = Files.readAllBytes(f);
                            String sha = java.util.HexFormat.of().formatHex(
                                    java.security.MessageDigest.getInstance("SHA-256").digest(read));
                            String next = new String(read, UTF_8) + "t" + thread + "-" + i + "\n";
                            try {
                                Files.writeString(f, next, ExpectedContentSha256.of(sha));
                                break;
                            } catch (ContentChangedException e) {
                                assertThat(e.currentSha256()).isNotEqualTo(sha);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (var fu : futures) {
                fu.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).hasSize(threads * appends).doesNotHaveDuplicates();
        assertThat(versionsOf(store.getByPath("/journal"))).hasSize(1 + threads * appends);
    }

    @Test
    void memoryAttributeView() throws IOException {
        Path f = notes.resolve("attr.md");
        Files.writeString(f, "hello");
        Memory m = store.getByPath("/attr.md");
        MemoryFileAttributes a = Files.readAttributes(f, MemoryFileAttributes.class);
        assertThat(a.memoryId()).contains(m.id());
        assertThat(a.contentSha256()).contains(m.contentSha256());
        assertThat(a.headVersionId()).contains(m.headVersionId());
        assertThat(a.size()).isEqualTo(5);
        assertThat(a.creationTime().toInstant()).isEqualTo(m.createdAt());
        Map<String, Object> byName = Files.readAttributes(f, "memory:*");
        assertThat(byName).containsEntry("memory_id", m.id().value())
                .containsEntry("content_sha256", m.contentSha256())
                .containsEntry("head_version_id", m.headVersionId().value())
                .containsEntry("size", 5L);
        assertThat(Files.getFileAttributeView(f, MemoryFileAttributeView.class).readAttributes().memoryId())
                .contains(m.id());
        assertThat(Files.readAttributes(notes, MemoryFileAttributes.class).memoryId()).isEmpty();
        assertThat(fs.supportedFileAttributeViews()).containsExactlyInAnyOrder("basic", "memory");
        assertThrows(UnsupportedOperationException.class, () -> Files.readAttributes(f, "posix:*"));
    }

    @Test
    void directoryMoveKeepsIdsWithOneVersionEach() throws IOException {
        Files.createDirectories(notes.resolve("src/deep"));
        Files.writeString(notes.resolve("src/a.md"), "a");
        Files.writeString(notes.resolve("src/deep/b.md"), "b");
        Memory a = store.getByPath("/src/a.md");
        Memory b = store.getByPath("/src/deep/b.md");
        long revision = store.revision();
        Files.move(notes.resolve("src"), notes.resolve("dst"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(store.get(a.id()).path()).isEqualTo("/dst/a.md");
        assertThat(store.get(b.id()).path()).isEqualTo("/dst/deep/b.md");
        assertThat(versionsOf(a)).hasSize(2);
        assertThat(versionsOf(b)).hasSize(2);
        assertThat(store.revision()).isEqualTo(revision + 1); // one commit for the whole directory
    }

    @Test
    void jdkOptionRulesExactly() throws IOException {
        Path f = notes.resolve("f");
        Files.writeString(f, "x");
        assertThrows(IllegalArgumentException.class,
                () -> Files.newByteChannel(f, StandardOpenOption.READ, StandardOpenOption.APPEND));
        assertThrows(IllegalArgumentException.class, () -> Files.newOutputStream(f, StandardOpenOption.READ));
        assertThrows(IllegalArgumentException.class,
                () -> Files.newByteChannel(f, StandardOpenOption.APPEND, StandardOpenOption.TRUNCATE_EXISTING));
        assertThrows(UnsupportedOperationException.class,
                () -> Files.newByteChannel(f, StandardOpenOption.DELETE_ON_CLOSE));
    }

    @Test
    void badPathIsAClearErrorAndWritesNothing() throws IOException {
        String before = snapshot(store);
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> Files.writeString(notes.resolve("bell\u0007.md"), "x"));
        assertThat(e.getReason()).containsIgnoringCase("control");
        assertThat(snapshot(store)).isEqualTo(before);
    }

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
    void watchSeesAnotherSessionsChanges() throws Exception {
        Memory kept = store.create("/dir/kept.md", "0");
        Session other = h.workspace.sessions().create(List.of(AttachmentSpec.readWrite(h.notesStore.id())));
        Memories theirs = other.mount("notes");
        try (WatchService ws = fs.newWatchService()) {
            notes.resolve("dir").register(ws, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            Memory made = theirs.create("/dir/theirs.md", "x");
            theirs.update(kept.id(), dev.agentmemory.model.MemoryUpdate.content("1"));
            theirs.update(made.id(), dev.agentmemory.model.MemoryUpdate.path("/dir/renamed.md"));
            theirs.delete(kept.id());
            theirs.create("/elsewhere.md", "not in the watched directory");
            List<String> events = awaitEvents(ws, 5);
            assertThat(events).containsExactly("ENTRY_CREATE theirs.md", "ENTRY_MODIFY kept.md",
                    "ENTRY_DELETE theirs.md", "ENTRY_CREATE renamed.md", "ENTRY_DELETE kept.md");
        }
    }

    @Test
    void closeClosesOpenChannelsAndStreams() throws IOException {
        Files.writeString(notes.resolve("r.md"), "r");
        SeekableByteChannel reader = Files.newByteChannel(notes.resolve("r.md"));
        SeekableByteChannel writer = Files.newByteChannel(notes.resolve("w.md"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        writer.write(ByteBuffer.wrap("w".getBytes(UTF_8)));
        OutputStream out = Files.newOutputStream(notes.resolve("o.md"));
        var ds = Files.newDirectoryStream(notes);
        WatchService ws = fs.newWatchService();
        fs.close();
        assertThat(reader.isOpen()).isFalse();
        assertThat(writer.isOpen()).isFalse();
        assertThrows(ClosedChannelException.class, () -> writer.write(ByteBuffer.wrap(new byte[] {1})));
        assertThrows(IOException.class, () -> out.write(1));
        assertThrows(java.nio.file.ClosedWatchServiceException.class, () -> ws.poll());
        assertThrows(IllegalStateException.class, ds::iterator);
        // Closing a writer commits what it wrote, as closing it yourself would.
        assertThat(store.getByPath("/w.md").text()).isEqualTo("w");
    }

    @Test
    void providerLookupThroughUriAndServiceLoader() throws IOException {
        URI uri = MemoryFileSystems.uri(h.session);
        assertThat(uri.getScheme()).isEqualTo("agentmemory");
        try (FileSystem viaUri = FileSystems.newFileSystem(uri, Map.of(MemoryFileSystems.ENV_SESSION, h.session))) {
            assertThat(viaUri.provider()).isInstanceOf(MemoryFileSystemProvider.class);
            assertThat(FileSystems.getFileSystem(uri)).isSameAs(viaUri);
            assertThrows(FileSystemAlreadyExistsException.class,
                    () -> FileSystems.newFileSystem(uri, Map.of(MemoryFileSystems.ENV_SESSION, h.session)));
            Path p = viaUri.getPath("/mnt/memory/notes/u.md");
            Files.writeString(p, "via uri");
            assertThat(Paths.get(p.toUri())).isEqualTo(p);
            assertThat(store.getByPath("/u.md").text()).isEqualTo("via uri");
            assertThrows(IllegalArgumentException.class, () -> FileSystems.newFileSystem(
                    URI.create("agentmemory://sesn_other/"), Map.of(MemoryFileSystems.ENV_SESSION, h.session)));
        }
        assertThrows(FileSystemNotFoundException.class, () -> FileSystems.getFileSystem(uri));
        List<String> schemes = FileSystemProvider.installedProviders().stream()
                .map(FileSystemProvider::getScheme).collect(Collectors.toList());
        assertThat(schemes).contains("agentmemory");
        // Test code runs inside the module, which provides but does not itself use the service.
        getClass().getModule().addUses(FileSystemProvider.class);
        assertThat(ServiceLoader.load(FileSystemProvider.class).stream().map(ServiceLoader.Provider::type)
                .collect(Collectors.toList())).contains(MemoryFileSystemProvider.class);
        // The module descriptor declares the provider as well (the tests run on the module path).
        ModuleDescriptor descriptor = MemoryFileSystemProvider.class.getModule().getDescriptor();
        assertThat(descriptor).isNotNull();
        assertThat(descriptor.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo(FileSystemProvider.class.getName());
            assertThat(p.providers()).contains(MemoryFileSystemProvider.class.getName());
        });
    }

    // ---------------------------------------------------------------- search

    private static List<String> hits(java.util.stream.Stream<FileMatch> s) {
        try (s) {
            return s.map(m -> m.file() + ":" + m.lineNumber() + ":" + m.line()).toList();
        }
    }

    /** What a walk of the view and a read of every file finds: the oracle for the view's search. */
    private static List<String> walkAndRead(Path dir, String needle) throws java.io.IOException {
        List<String> out = new java.util.ArrayList<>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted(java.util.Comparator.comparing(Path::toString))
                    .toList()) {
                String[] lines = Files.readString(f).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (lines[i].contains(needle)) {
                        out.add(f + ":" + (i + 1) + ":" + lines[i]);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void searchFindsLinesUnderAPathOfTheView() throws Exception {
        Path other = fs.getPath("/mnt/memory/other");
        Files.createDirectories(notes.resolve("deep"));
        Files.writeString(notes.resolve("a.md"), "todo: one\nnothing\nTODO two");
        Files.writeString(notes.resolve("deep/b.md"), "a todo");
        Files.writeString(other.resolve("c.txt"), "todo elsewhere");
        dev.agentmemory.model.SearchQuery todo = dev.agentmemory.model.SearchQuery.literal("todo").build();

        assertThat(hits(MemoryFileSystems.search(notes, todo))).containsExactly(
                "/mnt/memory/notes/a.md:1:todo: one", "/mnt/memory/notes/deep/b.md:1:a todo")
                .isEqualTo(walkAndRead(notes, "todo"));
        assertThat(hits(MemoryFileSystems.search(fs.getPath("/mnt/memory"), todo)))
                .as("every mount, in slug order").isEqualTo(walkAndRead(fs.getPath("/mnt/memory"), "todo"))
                .hasSize(3);
        assertThat(hits(MemoryFileSystems.search(notes.resolve("deep"), todo)))
                .containsExactly("/mnt/memory/notes/deep/b.md:1:a todo");
        assertThat(hits(MemoryFileSystems.search(notes.resolve("a.md"),
                dev.agentmemory.model.SearchQuery.literal("todo").ignoreCase(true).build())))
                .containsExactly("/mnt/memory/notes/a.md:1:todo: one", "/mnt/memory/notes/a.md:3:TODO two");
        assertThat(hits(MemoryFileSystems.search(notes, dev.agentmemory.model.SearchQuery.regex("^t.do")
                .pathGlob("*.md").limit(1).build()))).containsExactly("/mnt/memory/notes/a.md:1:todo: one");
        FileMatch first = MemoryFileSystems.search(notes, todo).findFirst().orElseThrow();
        assertThat(Files.readString(first.file())).startsWith("todo: one");
        assertThat(first.match().path()).isEqualTo("/a.md");
    }

    @Test
    void searchRefusesPathsAndQueriesItCannotServe() throws Exception {
        dev.agentmemory.model.SearchQuery q = dev.agentmemory.model.SearchQuery.literal("x").build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MemoryFileSystems.search(notes.resolve("nope"), q))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MemoryFileSystems.search(fs.getPath("/etc"), q))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MemoryFileSystems.search(java.nio.file.Path.of("/"),
                q)).isInstanceOf(java.nio.file.ProviderMismatchException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MemoryFileSystems.search(notes,
                dev.agentmemory.model.SearchQuery.literal("x").pathPrefix("/a/").build()))
                .isInstanceOf(dev.agentmemory.error.InvalidArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MemoryFileSystems.search(notes,
                dev.agentmemory.model.SearchQuery.regex("a(").build()))
                .isInstanceOf(dev.agentmemory.error.InvalidArgumentException.class);
    }
}
