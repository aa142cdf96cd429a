package dev.agentmemory.fuse;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workspace with two stores seeded by another writer, "Notes" (attached read-write, slug {@code notes}) and "Docs"
 * (attached read-only, slug {@code docs}), mounted with FUSE under a temporary directory; helpers to run real shell
 * commands there and to read the exact versions. Subclasses choose the backend.
 */
abstract class MountTestBase {

    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** The backends every mount test runs on. */
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
    MemoryMount mount;
    final List<AutoCloseable> toClose = new ArrayList<>();

    abstract Backend backend();

    MemoryBackend openBackend() {
        return switch (backend()) {
            case IN_MEMORY -> InMemoryBackend.create();
            case SQLITE -> JdbcBackend.sqlite(tmp.resolve("memory.db"));
        };
    }

    @BeforeEach
    void setUpWorkspace() {
        FuseAvailable.require();
        AgentMemory.Builder builder = AgentMemory.builder().backend(openBackend());
        configure(builder);
        memory = builder.build();
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
        session = workspace.sessions().create(List.of(AttachmentSpec.readWrite(notes.id()),
                AttachmentSpec.readOnly(docs.id())));
        dir = tmp.resolve("memory");
        mount = mount(session, dir);
    }

    /**
     * Adds to the library's configuration before it is built; nothing by default.
     *
     * @param builder the builder, with the backend set
     */
    void configure(AgentMemory.Builder builder) {
    }

    NewStore notesSpec() {
        return NewStore.named("Notes").build();
    }

    /**
     * Runs Python statements in the mount root and returns the errno of the OSError they raised, or 0. Python is
     * used where the exact errno of one system call (often close) matters.
     */
    int errnoOf(String statements) {
        String script = "import os, sys\ntry:\n" + statements.indent(4) + "    print(0)\n"
                + "except OSError as e:\n    print(e.errno)\n";
        Shell r = run(dir, List.of("python3", "-c", script));
        assertThat(mount.awaitSettled(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(r.exit()).as("python: %s", r.output()).isZero();
        return Integer.parseInt(r.output().trim());
    }

    MemoryMount mount(Session s, Path root) {
        MemoryMount m = MemoryMount.mount(s, root, MountOptions.defaults());
        toClose.add(m);
        return m;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (memory != null) {
            memory.close();
        }
    }

    /** What a shell command did. */
    record Shell(int exit, String output) {
    }

    /** Runs a command in the mount root, then waits until every file it closed has landed. */
    Shell sh(String script) {
        Shell r = sh(dir, script);
        assertThat(mount.awaitSettled(java.time.Duration.ofSeconds(10))).as("writes landed").isTrue();
        return r;
    }

    /** Runs {@code bash -c script} in a directory; stderr is merged into the output. */
    static Shell sh(Path cwd, String script) {
        return run(cwd, List.of("bash", "-c", script));
    }

    static Shell run(Path cwd, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
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

    /** Runs a command that must fail, and returns its output (the error message). */
    String shFails(String script) {
        Shell r = sh(script);
        assertThat(r.exit()).as("exit status of `%s`, output: %s", script, r.output()).isNotZero();
        return r.output();
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

    /** The versions written since {@code before}, oldest first. */
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

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
