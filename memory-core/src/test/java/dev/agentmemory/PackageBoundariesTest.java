package dev.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package graph of memory-core, as the JDK's {@code jdeps} reads it from the compiled classes: what a backend
 * implements ({@code spi}) depends on the value types only; the reference backend, the wire JSON and the SPI reach
 * nothing of the service ({@code internal}); only the tool's API reaches the tool's implementation. The cycles that
 * remain between the API packages are listed in docs/architecture.md; this test pins the boundaries that hold.
 */
class PackageBoundariesTest {

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

    @Test
    void theSpiDependsOnTheValueTypesOnly() {
        assertThat(uses("dev.agentmemory.spi")).containsOnly("dev.agentmemory.model");
    }

    @Test
    void nothingABackendOrAClientSeesReachesTheService() {
        for (String pkg : new String[] {"dev.agentmemory.spi", "dev.agentmemory.inmemory", "dev.agentmemory.wire"}) {
            assertThat(uses(pkg)).as(pkg).doesNotContain("dev.agentmemory.internal", "dev.agentmemory.tool.internal");
        }
    }

    @Test
    void onlyTheToolReachesTheToolsImplementation() {
        graph.forEach((pkg, used) -> {
            if (!pkg.equals("dev.agentmemory.tool")) {
                assertThat(used).as(pkg).doesNotContain("dev.agentmemory.tool.internal");
            }
        });
    }

    @Test
    void theServiceDependsOnNoSurface() {
        assertThat(uses("dev.agentmemory.internal")).doesNotContain("dev.agentmemory.tool",
                "dev.agentmemory.tool.internal", "dev.agentmemory.inmemory");
    }
}
