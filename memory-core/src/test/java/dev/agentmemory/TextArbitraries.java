package dev.agentmemory;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Generators of well-formed Unicode text that reach the places where encodings and orders differ. */
public final class TextArbitraries {

    /**
     * Code points at the edges that matter: each UTF-8 length, both sides of the surrogate block (where UTF-16
     * order and code point order disagree), the slash and the character after it, line separators, emoji.
     */
    public static final List<Integer> EDGES = List.of(0x00, 0x09, 0x0A, 0x0D, 0x22, 0x2F, 0x30, 0x5C, 0x61, 0x7A, 0x7F,
            0x80, 0x85, 0xE9, 0x7FF, 0x800, 0x2028, 0x2029, 0xD7FF, 0xE000, 0xFB01, 0xFEFF, 0xFFFD, 0xFFFF, 0x10000,
            0x1F600, 0x1F9D1, 0x10FFFF);

    private TextArbitraries() {
    }

    /**
     * Any Unicode scalar value (a code point that is not a surrogate), biased towards {@link #EDGES}.
     *
     * @return the arbitrary
     */
    public static Arbitrary<Integer> scalarValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(EDGES)),
                Tuple.of(2, Arbitraries.integers().between(0, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    }

    /**
     * Well-formed strings (no unpaired surrogates) of up to {@code maxCodePoints} code points.
     *
     * @param maxCodePoints the most code points
     * @return the arbitrary
     */
    public static Arbitrary<String> wellFormed(int maxCodePoints) {
        return fromCodePoints(scalarValues(), maxCodePoints);
    }

    /**
     * Well-formed strings over the edge code points only, so that two of them often share a prefix.
     *
     * @param maxCodePoints the most code points
     * @return the arbitrary
     */
    public static Arbitrary<String> edgy(int maxCodePoints) {
        return fromCodePoints(Arbitraries.of(EDGES), maxCodePoints);
    }

    /**
     * Strings made of the given code points.
     *
     * @param codePoints the code points to draw from
     * @param maxCodePoints the most code points
     * @return the arbitrary
     */
    public static Arbitrary<String> fromCodePoints(Arbitrary<Integer> codePoints, int maxCodePoints) {
        return codePoints.list().ofMaxSize(maxCodePoints).map(cps -> {
            StringBuilder b = new StringBuilder();
            cps.forEach(b::appendCodePoint);
            return b.toString();
        });
    }
}
