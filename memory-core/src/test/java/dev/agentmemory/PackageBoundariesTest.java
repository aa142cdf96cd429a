package dev.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package graph of memory-core, as the JDK's {@code jdeps} reads it from the compiled classes, has no cycle, and
 * every package sits in a layer that depends only on the layers below it:
 * <ol>
 *   <li>{@code error}: the exceptions, which depend on nothing of the library;</li>
 *   <li>{@code model} (with {@code model.internal}, the id syntax): the values, and the exceptions that name them;</li>
 *   <li>{@code spi}, {@code policy.internal}: what a backend implements (the values and the hash chain's stored
 *       seals), the policies' keyword scanner;</li>
 *   <li>{@code wire}, {@code policy}: the JSON of the values and of the chain's seals; the write policies, which the
 *       service may call;</li>
 *   <li>{@code inmemory} and {@code internal}: the reference backend and the service's engine, which knows nothing of
 *       the API package;</li>
 *   <li>{@code dev.agentmemory}: the API, whose package-private classes hand the engine to the user;</li>
 *   <li>{@code tool.internal}, then {@code tool}: the memory tool over the API.</li>
 * </ol>
 * Run {@code mvn -pl memory-core verify -Dtest=PackageBoundariesTest} to check it; any new edge that runs back up a
 * layer, or closes a cycle, fails here with the edge or the cycle named.
 */
class PackageBoundariesTest {

    private static final String P = "dev.agentmemory";

    /** Every package of the module and its layer; an edge may only go to a strictly lower layer. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry(P + ".error", 0),
            Map.entry(P + ".model.internal", 1),
            Map.entry(P + ".model", 2),
            Map.entry(P + ".spi", 3),
            Map.entry(P + ".wire", 4),
            Map.entry(P + ".policy.internal", 3),
            Map.entry(P + ".policy", 4),
            Map.entry(P + ".inmemory", 5),
            Map.entry(P + ".internal", 5),
            Map.entry(P, 6),
            Map.entry(P + ".tool.internal", 7),
            Map.entry(P + ".tool", 8));

    @TempDir
    static Path classes;

    /** Package to the packages of this module it refers to. */
    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void readTheGraph() throws IOException, InterruptedException {
        Path compiled = Path.of("target", "classes");
        // jdeps would resolve the module's requirements; the classes alone are enough for a package graph
        try (Stream<Path> files = Files.walk(compiled)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path rel = compiled.relativize(f);
                if (Files.isRegularFile(f) && f.toString().endsWith(".class")
                        && !rel.toString().equals("module-info.class")) {
                    Files.createDirectories(classes.resolve(rel).getParent());
                    Files.copy(f, classes.resolve(rel));
                }
            }
        }
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        Process p = new ProcessBuilder(jdeps.toString(), "-verbose:package", "-filter:none", classes.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        graph = new TreeMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith("dev.agentmemory")
                    && f[2].startsWith("dev.agentmemory") && !f[0].equals(f[2])) {
                graph.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[2]);
            }
        }
        assertThat(graph).as("jdeps output:\n%s", out).containsKeys("dev.agentmemory", "dev.agentmemory.spi");
    }

    private static Set<String> uses(String pkg) {
        return graph.getOrDefault(pkg, Set.of());
    }

    /**
     * Finds a cycle in a directed graph by depth-first search: an edge to a node still on the search path closes one.
     *
     * @param g node to the nodes it has edges to
     * @return the nodes of one cycle, the first repeated at the end, or empty if the graph has none
     */
    static Optional<List<String>> findCycle(Map<String, Set<String>> g) {
        Map<String, Integer> state = new HashMap<>(); // absent: unseen, 1: on the path, 2: done
        for (String start : new TreeSet<>(g.keySet())) {
            if (state.containsKey(start)) {
                continue;
            }
            Deque<String> path = new ArrayDeque<>();
            Deque<java.util.Iterator<String>> next = new ArrayDeque<>();
            path.push(start);
            next.push(g.getOrDefault(start, Set.of()).iterator());
            state.put(start, 1);
            while (!path.isEmpty()) {
                if (!next.peek().hasNext()) {
                    state.put(path.pop(), 2);
                    next.pop();
                    continue;
                }
                String to = next.peek().next();
                Integer s = state.get(to);
                if (s == null) {
                    state.put(to, 1);
                    path.push(to);
                    next.push(g.getOrDefault(to, Set.of()).iterator());
                } else if (s == 1) {
                    List<String> cycle = new ArrayList<>();
                    for (java.util.Iterator<String> it = path.descendingIterator(); it.hasNext(); ) {
                        String n = it.next();
                        if (!cycle.isEmpty() || n.equals(to)) {
                            cycle.add(n);
                        }
                    }
                    cycle.add(to);
                    return Optional.of(cycle);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void thePackageGraphHasNoCycle() {
        assertThat(findCycle(graph)).as("a cycle in the package graph %s", graph).isEmpty();
    }

    @Test
    void theCycleCheckFindsABackEdge() {
        Map<String, Set<String>> g = new TreeMap<>(graph);
        assertThat(findCycle(g)).isEmpty();
        // the edge the layering forbids most: the exceptions reaching the values that use them
        g.put(P + ".error", Set.of(P + ".model"));
        assertThat(findCycle(g)).hasValueSatisfying(c -> assertThat(c)
                .containsSubsequence(P + ".error", P + ".model", P + ".error"));
        assertThat(findCycle(Map.of("a", Set.of("a")))).contains(List.of("a", "a"));
        assertThat(findCycle(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of()))).isEmpty();
    }

    @Test
    void everyPackageHasALayer() {
        assertThat(LAYERS.keySet()).as("packages compiled").containsAll(graph.keySet());
        graph.values().forEach(used -> assertThat(LAYERS.keySet()).containsAll(used));
    }

    @Test
    void everyEdgeRunsDownALayer() {
        graph.forEach((pkg, used) -> {
            for (String u : used) {
                assertThat(LAYERS.get(u)).as("%s (layer %s) -> %s", pkg, LAYERS.get(pkg), u)
                        .isLessThan(LAYERS.get(pkg));
            }
        });
    }

    @Test
    void theExceptionsDependOnNothingOfTheLibrary() {
        assertThat(uses(P + ".error")).isEmpty();
    }

    @Test
    void theValuesDependOnTheExceptionsOnly() {
        assertThat(uses(P + ".model")).containsOnly(P + ".error", P + ".model.internal");
        assertThat(uses(P + ".model.internal")).containsOnly(P + ".error");
    }

    @Test
    void theSpiDependsOnTheValueTypesOnly() {
        assertThat(uses(P + ".spi")).isSubsetOf(P + ".model", P + ".error");
    }

    @Test
    void nothingABackendOrAClientSeesReachesTheService() {
        for (String pkg : new String[] {P + ".spi", P + ".inmemory", P + ".wire", P + ".model", P + ".error"}) {
            assertThat(uses(pkg)).as(pkg).doesNotContain(P + ".internal", P + ".tool.internal", P);
        }
    }

    @Test
    void theEngineKnowsNothingOfTheApiPackage() {
        assertThat(uses(P + ".internal")).doesNotContain(P, P + ".tool", P + ".tool.internal", P + ".inmemory");
    }

    @Test
    void onlyTheToolReachesTheToolsImplementation() {
        graph.forEach((pkg, used) -> {
            if (!pkg.equals(P + ".tool")) {
                assertThat(used).as(pkg).doesNotContain(P + ".tool.internal");
            }
        });
        assertThat(uses(P + ".tool.internal")).doesNotContain(P + ".tool");
    }
}
