package dev.agentmemory.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spi.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workspace with two stores, "Notes" (attached read-write, slug {@code notes}) and "Docs" (attached read-only,
 * slug {@code docs}), both seeded by another writer, and helpers to run shell commands and read versions. Subclasses
 * choose the backend.
 */
abstract class CheckoutTestBase {

    static {
        // Quiet the SQLite pool's start and stop lines; warnings still show.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** The backends every checkout test runs on. */
    enum Backend { IN_MEMORY, SQLITE }

    @TempDir
    Path tmp;

    AgentMemory memory;
    Workspace workspace;
    MemoryStore notes;
    MemoryStore docs;
    Session session;
    Memories other;
    Memories otherDocs;
    Path dir;
    final List<AutoCloseable> toClose = new ArrayList<>();

    abstract Backend backend();

    MemoryBackend openBackend() {
        return switch (backend()) {
            case IN_MEMORY -> InMemoryBackend.create();
            case SQLITE -> JdbcBackend.sqlite(tmp.resolve("memory.db"));
        };
    }

    NewStore notesSpec() {
        return NewStore.named("Notes").description("what we learn").build();
    }

    @BeforeEach
    void setUpWorkspace() throws IOException {
        // The temporary directory must be traversable by an unprivileged user for the read-only tests.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        memory = AgentMemory.builder().backend(openBackend()).build();
        workspace = memory.workspace("acme");
        notes = workspace.stores().create(notesSpec());
        docs = workspace.stores().create(NewStore.named("Docs").build());
        other = workspace.memories(notes.id(), Actor.user("alice"));
        otherDocs = workspace.memories(docs.id(), Actor.user("alice"));
        for (Memories m : List.of(other, otherDocs)) {
            m.create("/a.md", "alpha\n");
            m.create("/dir/b.md", "bravo\n");
            m.create("/dir/sub/c.md", "charlie\n");
            m.create("/gone/x.md", "x-ray\n");
        }
        session = newSession();
        dir = tmp.resolve("checkout");
    }

    Session newSession() {
        return workspace.sessions().create(List.of(AttachmentSpec.readWrite(notes.id()),
                AttachmentSpec.readOnly(docs.id())));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        memory.close();
        // Read-only trees: give the owner write access back so that @TempDir can delete them.
        try (Stream<Path> all = Files.walk(tmp)) {
            all.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                try {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    Checkout checkout() {
        return checkout(session, dir, CheckoutOptions.defaults());
    }

    Checkout checkout(Session s, Path d, CheckoutOptions options) {
        Checkout c = Checkout.create(s, d, options);
        toClose.add(c);
        return c;
    }

    /** What a shell command did. */
    record Shell(int exit, String output) {
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    Shell sh(String script) {
        return sh(script, false);
    }

    /** Runs {@code bash -c script} in the checkout directory, as an unprivileged user if asked (needs root). */
    Shell sh(String script, boolean asNobody) {
        List<String> cmd = new ArrayList<>();
        if (asNobody) {
            cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        cmd.addAll(List.of("bash", "-c", script));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + script);
            }
            return new Shell(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Shell shOk(String script) {
        Shell r = sh(script);
        assertThat(r.exit()).as("exit status of `%s`, output: %s", script, r.output()).isZero();
        return r;
    }

    /** One version as the tests compare it. */
    record V(Operation op, String path, String content, Actor actor) {
    }

    static V created(String path, String content, Actor actor) {
        return new V(Operation.CREATED, path, content, actor);
    }

    static V modified(String path, String content, Actor actor) {
        return new V(Operation.MODIFIED, path, content, actor);
    }

    static V deleted(String path, Actor actor) {
        return new V(Operation.DELETED, path, null, actor);
    }

    Actor me() {
        return Actor.session(session.id());
    }

    static Set<VersionId> versionIds(Memories m) {
        Set<VersionId> ids = new HashSet<>();
        allVersions(m).forEach(v -> ids.add(v.id()));
        return ids;
    }

    static List<MemoryVersion> allVersions(Memories m) {
        List<MemoryVersion> all = new ArrayList<>();
        VersionQuery q = VersionQuery.builder().limit(100).includeContent(true).build();
        while (true) {
            Page<MemoryVersion> page = m.versions(q);
            all.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                return all;
            }
            q = q.page(page.nextCursor().get());
        }
    }

    /** The versions written since {@code before}, oldest first, as (operation, path, content, actor). */
    static List<V> newVersions(Memories m, Set<VersionId> before) {
        List<MemoryVersion> fresh = new ArrayList<>(allVersions(m).stream()
                .filter(v -> !before.contains(v.id())).toList());
        fresh.sort(Comparator.comparing(MemoryVersion::id));
        return fresh.stream().map(v -> new V(v.operation(), v.path().orElse(null), v.content().orElse(null),
                v.createdBy())).toList();
    }

    /** The store's memories as path to content. */
    static Map<String, String> storeTree(Memories m) {
        Map<String, String> tree = new TreeMap<>();
        ListQuery q = ListQuery.builder().limit(100).includeContent(true).build();
        while (true) {
            Page<ListEntry> page = m.list(q);
            for (ListEntry e : page.items()) {
                if (e instanceof Memory mem) {
                    tree.put(mem.path(), mem.text());
                }
            }
            if (page.nextCursor().isEmpty()) {
                return tree;
            }
            q = q.page(page.nextCursor().get());
        }
    }

    /** A host directory's regular files (conflict files included) as path to content; fails on anything else. */
    static Map<String, String> hostTree(Path root) {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                assertThat(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).as("regular file: %s", p).isTrue();
                tree.put("/" + root.relativize(p), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<String> contentAt(Memories m, String path) {
        return m.findByPath(path).map(Memory::text);
    }
}
