package dev.agentmemory.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The directory counts answer "is nothing under this prefix?" exactly as a search of the paths held would, after any
 * sequence of paths added and removed (each add of a path not held, each removal of a path held, as the path index
 * reports them).
 */
class DirectoriesProperties {

    record Step(boolean add, String path) {
    }

    @Property(tries = 300)
    void answersAsASearchOfThePathsHeld(@ForAll("steps") List<Step> steps) {
        Directories dirs = new Directories();
        Set<String> held = new HashSet<>();
        for (Step s : steps) {
            if (s.add() && held.add(s.path())) {
                dirs.pathAdded(s.path());
            } else if (!s.add() && held.remove(s.path())) {
                dirs.pathRemoved(s.path());
            }
            for (String prefix : prefixes()) {
                boolean nothing = held.stream().noneMatch(p -> p.startsWith(prefix));
                if (nothing) {
                    assertThat(dirs.nothingUnder(prefix)).as("nothing under %s, held %s", prefix, held).isTrue();
                } else {
                    assertThat(dirs.nothingUnder(prefix)).as("something under %s, held %s", prefix, held).isFalse();
                }
            }
        }
        // The root and prefixes that do not end a directory are never answered as empty.
        assertThat(dirs.nothingUnder("/")).isFalse();
        assertThat(dirs.nothingUnder("/a")).isFalse();
    }

    private static List<String> prefixes() {
        List<String> out = new ArrayList<>();
        for (String a : new String[] {"a", "b"}) {
            out.add("/" + a + "/");
            for (String b : new String[] {"a", "b", "c"}) {
                out.add("/" + a + "/" + b + "/");
            }
        }
        return out;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "c");
        Arbitrary<String> path = segment.list().ofMinSize(1).ofMaxSize(3)
                .map(parts -> "/" + String.join("/", parts));
        return Combinators.combine(Arbitraries.of(true, true, false), path).as(Step::new).list().ofMaxSize(40);
    }
}
