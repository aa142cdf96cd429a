package dev.agentmemory.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What to search a store's memories for: a fixed string or a regular expression, matched line by line against the
 * current content of every memory under a path prefix whose path fits an optional glob, in path order.
 *
 * <p>Lines are the content split at {@code \n}; a line's text excludes its {@code \n} (a {@code \r} before it stays).
 * A line matches if the pattern occurs in it; each matching line gives one {@link SearchMatch}. A fixed string
 * ({@link Syntax#LITERAL}) matches where its characters occur exactly, or, ignoring case, where each character equals
 * the line's as {@link String#regionMatches(boolean, int, String, int, int)} with {@code ignoreCase} compares them. A
 * regular expression ({@link Syntax#REGEX}) uses {@link java.util.regex.Pattern}'s syntax, with
 * {@link java.util.regex.Pattern#CASE_INSENSITIVE} and {@link java.util.regex.Pattern#UNICODE_CASE} when ignoring case,
 * and {@link java.util.regex.Pattern#UNIX_LINES} (so {@code $} matches only at the end of the line and {@code .} matches
 * {@code }); it must match within one line, and {@code ^} and {@code $} match at the line's start and end. Its work
 * on each memory is bounded (about ten million character reads); a pattern that needs more, as nested repetitions
 * such as {@code (a+)+b} can, ends the search with an error instead of running on.
 *
 * <p>The glob is matched against the whole path if it contains {@code /}, else against the last segment (the file
 * name): {@code *} matches any characters but {@code /}, {@code **} any characters including {@code /} ({@code **}{@code /}
 * also matches no directory at all), {@code ?} one character but {@code /}; every other character matches itself.
 *
 * @param pattern the fixed string or regular expression; at most {@value #MAX_PATTERN_CHARS} characters, no line
 *     break in a fixed string
 * @param syntax how the pattern is read
 * @param ignoreCase whether case is ignored
 * @param pathPrefix only memories under this directory prefix (ending in {@code /}); {@code /} by default
 * @param pathGlob only memories whose path fits this glob
 * @param limit the most matches to return; 0 (the default) for all
 */
public record SearchQuery(String pattern, Syntax syntax, boolean ignoreCase, String pathPrefix,
        Optional<String> pathGlob, int limit) {

    /** The longest pattern accepted, in characters. */
    public static final int MAX_PATTERN_CHARS = 1_000;

    /** How a search pattern is read. */
    public enum Syntax {
        /** A fixed string (the default), as {@code grep -F} reads it. */
        LITERAL,
        /** A {@link java.util.regex.Pattern} regular expression. */
        REGEX
    }

    /** Checks that every field is present. */
    public SearchQuery {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(syntax, "syntax");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(pathGlob, "pathGlob");
    }

    /**
     * Starts a search for a fixed string.
     *
     * @param text the string
     * @return a builder
     */
    public static Builder literal(String text) {
        return new Builder(text, Syntax.LITERAL);
    }

    /**
     * Starts a search for a regular expression.
     *
     * @param regex the expression, in {@link java.util.regex.Pattern}'s syntax
     * @return a builder
     */
    public static Builder regex(String regex) {
        return new Builder(regex, Syntax.REGEX);
    }

    /** Builds a {@link SearchQuery}. Not thread-safe. */
    public static final class Builder {
        private final String pattern;
        private final Syntax syntax;
        private boolean ignoreCase;
        private String pathPrefix = "/";
        private Optional<String> pathGlob = Optional.empty();
        private int limit;

        private Builder(String pattern, Syntax syntax) {
            this.pattern = pattern;
            this.syntax = syntax;
        }

        /**
         * Ignores case, or not (the default).
         *
         * @param ignore whether to ignore case
         * @return this builder
         */
        public Builder ignoreCase(boolean ignore) {
            this.ignoreCase = ignore;
            return this;
        }

        /**
         * Searches only under a directory.
         *
         * @param prefix a prefix ending in {@code /}, such as {@code /notes/}
         * @return this builder
         */
        public Builder pathPrefix(String prefix) {
            this.pathPrefix = prefix;
            return this;
        }

        /**
         * Searches only memories whose path fits a glob, such as {@code *.md} or {@code /projects/**}{@code /todo.md}.
         *
         * @param glob the glob
         * @return this builder
         */
        public Builder pathGlob(String glob) {
            this.pathGlob = Optional.of(glob);
            return this;
        }

        /**
         * Returns at most this many matches.
         *
         * @param limit the most matches, at least 1; 0 for all
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * Returns the query.
         *
         * @return the query
         */
        public SearchQuery build() {
            return new SearchQuery(pattern, syntax, ignoreCase, pathPrefix, pathGlob, limit);
        }
    }
}
