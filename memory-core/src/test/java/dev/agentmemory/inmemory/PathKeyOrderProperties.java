package dev.agentmemory.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.spi.PathOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A path index ordered by {@link PathKeyOrder}, fed paths in any order (each admitted before it is inserted, as the
 * backend does), holds them in {@link PathOrder} (code point) order and answers a search for any string as an index
 * ordered by {@link PathOrder} would, whichever paths and queries hold characters at or above U+D800.
 */
class PathKeyOrderProperties {

    @Property(tries = 500)
    void ordersAndSearchesAsCodePointOrder(@ForAll("paths") List<String> paths, @ForAll("paths") List<String> queries) {
        PathKeyOrder order = new PathKeyOrder();
        TreeMap<String, String> index = new TreeMap<>(order);
        TreeSet<String> model = new TreeSet<>(PathOrder.ORDER);
        for (String p : paths) {
            order.admit(p);
            index.put(p, p);
            model.add(p);
            assertThat(new ArrayList<>(index.keySet())).containsExactlyElementsOf(model);
        }
        for (String q : queries) {
            assertThat(index.ceilingKey(q)).as("ceiling of %s in %s", q, model).isEqualTo(model.ceiling(q));
            assertThat(index.containsKey(q)).isEqualTo(model.contains(q));
        }
    }

    @Property(tries = 1)
    void aSurrogateSortsAfterTheCharactersAboveTheSurrogatesOnceTheyAreIndexed() {
        // ASCII first (String order), then U+FF5E (switches the order), then a surrogate pair (U+1F600).
        PathKeyOrder order = new PathKeyOrder();
        TreeMap<String, String> index = new TreeMap<>(order);
        for (String p : List.of("/a.md", "/\uFF5E.md", "/\uD83D\uDE00.md", "/\uE000.md", "/b.md")) {
            order.admit(p);
            index.put(p, p);
        }
        assertThat(index.keySet()).containsExactly("/a.md", "/b.md", "/\uE000.md", "/\uFF5E.md", "/\uD83D\uDE00.md");
    }

    @Provide
    Arbitrary<List<String>> paths() {
        Arbitrary<String> ch = Arbitraries.of("a", "b", "/", "\u00e9", "\u6771", "\uE000", "\uFF5E", "\uD83D\uDE00",
                "\uD83D\uDE80", "\uDBFF\uDFFF");
        return ch.list().ofMinSize(1).ofMaxSize(5).map(parts -> "/" + String.join("", parts)).list().ofMaxSize(12);
    }
}
