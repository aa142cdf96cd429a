package dev.agentmemory.tool.internal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks memory-tool paths and splits them into the mount they name and the store path inside it:
 * {@code /memories/project-notes/a/b.md} is the memory {@code /a/b.md} of the mount {@code project-notes}. Refuses
 * everything that is not a plain path under {@code /memories}. Whether the mount exists is the caller's question; the
 * store's own path rules (length, characters, empty segments) still apply afterwards. This class only refuses what
 * the tool must never pass on. Thread-safe (stateless).
 */
public final class ToolPaths {

    /** The tool's root directory. */
    public static final String ROOT = "/memories";

    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");

    private ToolPaths() {
    }

    /**
     * A checked path.
     *
     * @param raw the path as the model gave it
     * @param display the path without a trailing {@code /}, as listings show it
     * @param mount the first segment under {@code /memories} (the mount's slug if it names one), empty for
     *     {@code /memories} itself
     * @param storePath the store path inside that mount ({@code /a/b.md}), {@code /} for the mount's root and for
     *     {@code /memories} itself
     */
    public record Resolved(String raw, String display, String mount, String storePath) {

        /**
         * Returns whether this is {@code /memories} itself.
         *
         * @return whether it is the tool's root
         */
        public boolean isToolRoot() {
            return mount.isEmpty() && storePath.equals("/");
        }

        /**
         * Returns whether this is the root of a mount, {@code /memories/<slug>}.
         *
         * @return whether it names a mount's directory itself
         */
        public boolean isMountRoot() {
            return !mount.isEmpty() && storePath.equals("/");
        }

        /**
         * Returns the store prefix of the directory this path names: {@code /a/} for {@code /memories/<slug>/a}.
         *
         * @return the prefix, ending in {@code /}
         */
        public String dirPrefix() {
            return storePath.equals("/") ? "/" : storePath + "/";
        }
    }

    /**
     * Checks and maps a path.
     *
     * @param raw the path as the model gave it
     * @return the resolved path, or the error text if the path is refused
     */
    public static Result resolve(String raw) {
        Optional<String> why = refusal(raw);
        if (why.isPresent()) {
            return new Result(Optional.empty(), why);
        }
        String display = raw;
        while (display.length() > ROOT.length() && display.endsWith("/")) {
            display = display.substring(0, display.length() - 1);
        }
        String rel = display.equals(ROOT) ? "" : display.substring(ROOT.length() + 1);
        int slash = rel.indexOf('/');
        String mount = slash < 0 ? rel : rel.substring(0, slash);
        String store = slash < 0 ? "/" : rel.substring(slash);
        return new Result(Optional.of(new Resolved(raw, display, mount, store)), Optional.empty());
    }

    /**
     * Either a resolved path or the error text saying why it was refused.
     *
     * @param path the resolved path
     * @param error the refusal
     */
    public record Result(Optional<Resolved> path, Optional<String> error) {
    }

    /**
     * Returns the tool path of a store path in a mount.
     *
     * @param mount the mount's slug
     * @param storePath a store path such as {@code /a/b.md}
     * @return {@code /memories/<slug>/a/b.md}
     */
    public static String toolPath(String mount, String storePath) {
        return storePath.equals("/") ? ROOT + "/" + mount : ROOT + "/" + mount + storePath;
    }

    private static Optional<String> refusal(String raw) {
        if (raw.indexOf('\\') >= 0) {
            return Optional.of(notAllowed(raw, "a backslash"));
        }
        if (PERCENT_ESCAPE.matcher(raw).find()) {
            return Optional.of(notAllowed(raw, "a percent-escape"));
        }
        if (!raw.equals(ROOT) && !raw.startsWith(ROOT + "/")) {
            return Optional.of("Error: The path " + raw + " is outside /memories. Every memory path must be /memories"
                    + " or start with /memories/");
        }
        for (String segment : raw.substring(ROOT.length()).split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of(notAllowed(raw, "a '..' segment"));
            }
            if (segment.equals(".")) {
                return Optional.of(notAllowed(raw, "a '.' segment"));
            }
        }
        return Optional.empty();
    }

    private static String notAllowed(String raw, String what) {
        return "Error: The path " + raw + " is not allowed: it contains " + what + ". Memory paths are plain paths"
                + " under /memories, without '..' or '.' segments, backslashes or percent-escapes";
    }
}
