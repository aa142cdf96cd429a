package dev.agentmemory.fs;

import dev.agentmemory.model.SearchMatch;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One line of a file of a memory file system that {@link MemoryFileSystems#search} matched.
 *
 * @param file the file, a path of the memory file system ({@code /mnt/memory/<slug>/notes/a.md})
 * @param match the line, its number, and where the pattern matched, as the store's search reported it (its
 *     {@link SearchMatch#path()} is the memory's path inside the store)
 */
public record FileMatch(Path file, SearchMatch match) {

    /** Checks that every field is present. */
    public FileMatch {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(match, "match");
    }

    /**
     * Returns the line's number.
     *
     * @return the number, from 1
     */
    public int lineNumber() {
        return match.lineNumber();
    }

    /**
     * Returns the line's text.
     *
     * @return the line, without its line break
     */
    public String line() {
        return match.line();
    }
}
