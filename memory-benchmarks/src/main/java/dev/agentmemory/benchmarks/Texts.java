package dev.agentmemory.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * Realistic memory contents of an exact UTF-8 size: Markdown notes an agent might keep, mostly ASCII with accented
 * letters, CJK, punctuation outside ASCII and an emoji (a surrogate pair), so that the UTF-8 encoder and the
 * surrogate check take their non-ASCII paths as they would in use.
 */
public final class Texts {

    private static final String[] SENTENCES = {
        "The user prefers metric units and answers in British English.",
        "Meeting notes \u2014 Z\u00fcrich office, caf\u00e9 on the ground floor, r\u00e9sum\u00e9 review at 14:00.",
        "Deploys go out on Tuesdays; never on a Friday after 15:00 UTC.",
        "\u6771\u4eac\u306e\u30c1\u30fc\u30e0\u306f\u6728\u66dc\u65e5\u306b\u30ec\u30d3\u30e5\u30fc\u3092\u3057\u307e\u3059\u3002",
        "- [x] rotate the API key\n- [ ] update the runbook \u2192 docs/ops.md",
        "Customer na\u00efve Bayes baseline: precision 0.91, recall 0.87 (\u00b10.02).",
        "Stra\u00dfe, \u00c5ngstr\u00f6m and \u0141\u00f3d\u017a appear in the address data; keep them as written.",
        "Build is green again \u2705 after pinning the plugin versions \ud83d\ude80.",
        "```java\nmemories.update(id, MemoryUpdate.content(text));\n```",
        "Open question: should archived stores still show in the prompt? Ask \u00c9lodie.",
    };

    private Texts() {
    }

    /**
     * Returns a text of exactly {@code sizeBytes} UTF-8 bytes. Different variants give different texts of the same
     * size.
     *
     * @param sizeBytes the UTF-8 size, at least 16
     * @param variant which text; any int
     * @return the text
     */
    public static String of(int sizeBytes, int variant) {
        if (sizeBytes < 16) {
            throw new IllegalArgumentException("sizeBytes must be at least 16: " + sizeBytes);
        }
        StringBuilder b = new StringBuilder(sizeBytes);
        String header = "# Note " + variant + "\n\n";
        b.append(header);
        int bytes = utf8Length(header);
        int i = Math.floorMod(variant, SENTENCES.length);
        for (int n = 0; ; n++, i = (i + 1) % SENTENCES.length) {
            String s = (n % 7 == 6 ? "\n\n" : " ") + SENTENCES[i];
            int len = utf8Length(s);
            if (bytes + len > sizeBytes) {
                break;
            }
            b.append(s);
            bytes += len;
        }
        while (bytes < sizeBytes) {
            b.append(bytes == sizeBytes - 1 ? '\n' : '.');
            bytes++;
        }
        return b.toString();
    }

    /**
     * Returns the number of UTF-8 bytes of a text.
     *
     * @param s the text, without unpaired surrogates
     * @return its UTF-8 length
     */
    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
