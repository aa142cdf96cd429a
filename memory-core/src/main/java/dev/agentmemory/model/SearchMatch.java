package dev.agentmemory.model;

import java.util.List;
import java.util.Objects;

/**
 * One line of a memory that a search matched.
 *
 * @param memoryId the memory
 * @param path its path
 * @param lineNumber the line's number, from 1
 * @param line the line's text, without its {@code \n}
 * @param spans where the pattern matched in the line, left to right and not overlapping; at least one
 */
public record SearchMatch(MemoryId memoryId, String path, int lineNumber, String line, List<Span> spans) {

    /** Checks that every field is present and copies the spans. */
    public SearchMatch {
        Objects.requireNonNull(memoryId, "memoryId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(line, "line");
        spans = List.copyOf(spans);
        if (lineNumber < 1 || spans.isEmpty()) {
            throw new IllegalArgumentException("a match needs a line number from 1 and at least one span");
        }
    }

    /**
     * One occurrence of the pattern in a line, as {@code char} indices of {@link SearchMatch#line()} (those of
     * {@link String#substring(int, int)}).
     *
     * @param start the first index, inclusive
     * @param end the last index, exclusive; equal to {@code start} for an empty match
     */
    public record Span(int start, int end) {
        /** Checks that the span is not reversed. */
        public Span {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("span " + start + ".." + end + " is reversed or negative");
            }
        }
    }
}
