package dev.agentmemory.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Random sequences of writes, appends, renames and deletes made through the kernel (plain {@code java.nio} on the
 * mount's real path) against a model map: after each step the store, the directory listing and every file's content
 * equal the model, and the step wrote exactly the number of versions it should.
 */
class ModelTest {

    sealed interface Step permits Write, Append, Move, Delete {
    }

    record Write(String path, String content) implements Step {
    }

    record Append(String path, String content) implements Step {
    }

    record Move(String from, String to) implements Step {
    }

    record Delete(String path) implements Step {
    }

    Path tmp;
    AgentMemory memory;
    Memories store;
    MemoryMount mount;
    Path root;

    @BeforeTry
    void mount() throws IOException {
        FuseAvailable.require();
        tmp = Files.createTempDirectory("fuse-model");
        memory = AgentMemory.builder().backend(InMemoryBackend.create()).build();
        Workspace ws = memory.workspace("acme");
        MemoryStore notes = ws.stores().create(NewStore.named("Notes").build());
        store = ws.memories(notes.id(), Actor.user("alice"));
        Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(notes.id())));
        mount = MemoryMount.mount(session, tmp.resolve("m"), MountOptions.defaults());
        root = mount.mountPoints().get("notes");
    }

    @AfterTry
    void unmount() throws IOException {
        if (mount != null) {
            mount.close();
        }
        if (memory != null) {
            memory.close();
        }
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> path = Arbitraries.of("/a.md", "/b.md", "/d/a.md", "/d/c.md", "/d/e/f.md");
        Arbitrary<String> text = Arbitraries.strings().withChars("xyzé\n☕").ofMaxLength(12);
        Arbitrary<Step> step = Arbitraries.oneOf(
                Combinators.combine(path, text).as(Write::new),
                Combinators.combine(path, text).as(Append::new),
                Combinators.combine(path, path).as(Move::new),
                path.map(Delete::new));
        return step.list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 50)
    void theMountBehavesAsTheModel(@ForAll("steps") List<Step> steps) throws IOException {
        Map<String, String> model = new TreeMap<>();
        for (Step s : steps) {
            int before = ModelSupport.versionCount(store);
            int expected = apply(s, model);
            assertThat(mount.awaitSettled(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(ModelSupport.versionCount(store) - before).as("versions written by %s", s).isEqualTo(expected);
            assertThat(MountTestBase.storeTree(store)).as("store after %s", s).isEqualTo(model);
            assertThat(hostTree()).as("mount after %s", s).isEqualTo(model);
        }
    }

    /** Applies a step through the kernel and to the model; returns the versions it must write. */
    int apply(Step s, Map<String, String> model) throws IOException {
        switch (s) {
            case Write w -> {
                Path p = file(w.path());
                if (!canHold(w.path(), model)) {
                    return 0;
                }
                Files.createDirectories(p.getParent());
                Files.writeString(p, w.content(), StandardCharsets.UTF_8);
                String old = model.put(w.path(), w.content());
                return w.content().equals(old) ? 0 : 1;
            }
            case Append a -> {
                if (!canHold(a.path(), model)) {
                    return 0;
                }
                Path p = file(a.path());
                Files.createDirectories(p.getParent());
                Files.writeString(p, a.content(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                String old = model.get(a.path());
                model.put(a.path(), (old == null ? "" : old) + a.content());
                return old != null && a.content().isEmpty() ? 0 : 1;
            }
            case Move m -> {
                if (!model.containsKey(m.from()) || m.from().equals(m.to()) || !canHold(m.to(), model)) {
                    return 0;
                }
                Files.createDirectories(file(m.to()).getParent());
                Files.move(file(m.from()), file(m.to()), StandardCopyOption.REPLACE_EXISTING);
                boolean replaced = model.containsKey(m.to());
                model.put(m.to(), model.remove(m.from()));
                return replaced ? 2 : 1;
            }
            case Delete d -> {
                if (!model.containsKey(d.path())) {
                    return 0;
                }
                Files.delete(file(d.path()));
                model.remove(d.path());
                return 1;
            }
        }
    }

    /** A file may not sit where a directory of other files is, nor under a file. */
    static boolean canHold(String path, Map<String, String> model) {
        for (String k : model.keySet()) {
            if (k.startsWith(path + "/") || path.startsWith(k + "/")) {
                return false;
            }
        }
        return true;
    }

    Path file(String storePath) {
        return root.resolve(storePath.substring(1));
    }

    Map<String, String> hostTree() throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                tree.put("/" + root.relativize(p), Files.readString(p));
            }
        }
        return tree;
    }

    /** Counts versions. */
    static final class ModelSupport {
        private ModelSupport() {
        }

        static int versionCount(Memories m) {
            return MountTestBase.allVersions(m).size();
        }
    }
}
