package dev.agentmemory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.TextArbitraries;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlugsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Demo Memory|demo-memory",
        "demo-memory|demo-memory",
        "Project   Notes!!|project-notes",
        "a__b--c..d|a-b-c-d",
        "  leading and trailing  |leading-and-trailing",
        "--x--|x",
        "Café Notes|caf-notes",
        "naïve über straße|na-ve-ber-stra-e",
        "Заметки 2025|2025",
        "日本語 notes|notes",
        "v2.0 (beta)|v2-0-beta",
        "ABC123xyz|abc123xyz",
        "emoji 😀 here|emoji-here",
        "A|a",
        "9|9"
    })
    void slugOfName(String name, String slug) {
        assertThat(Slugs.of(name)).isEqualTo(slug);
    }

    @Test
    void nameWithoutLetterOrDigitGivesMemory() {
        assertThat(Slugs.of("")).isEqualTo("memory");
        assertThat(Slugs.of("---")).isEqualTo("memory");
        assertThat(Slugs.of("日本語")).isEqualTo("memory");
        assertThat(Slugs.of(" \t ")).isEqualTo("memory");
    }

    @Property(tries = 500)
    void slugsAreAlwaysTidy(@ForAll("names") String name) {
        String slug = Slugs.of(name);
        assertThat(slug).matches("[a-z0-9]+(-[a-z0-9]+)*");
        // the letters and digits are those of the lowercased name, in order
        String kept = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        assertThat(slug.replace("-", "")).isEqualTo(kept.isEmpty() ? "memory" : kept);
    }

    @Test
    void uniqueCountsFromTwo() {
        Set<String> taken = new HashSet<>();
        assertThat(Slugs.unique("notes", taken)).isEqualTo("notes");
        taken.add("notes");
        assertThat(Slugs.unique("notes", taken)).isEqualTo("notes-2");
        taken.add("notes-2");
        assertThat(Slugs.unique("notes", taken)).isEqualTo("notes-3");
        taken.add("notes-3");
        taken.add("notes-5");
        assertThat(Slugs.unique("notes", taken)).isEqualTo("notes-4");
        assertThat(Slugs.unique("other", taken)).isEqualTo("other");
    }

    @Provide
    Arbitrary<String> names() {
        return TextArbitraries.wellFormed(20);
    }
}
