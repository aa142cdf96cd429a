package dev.agentmemory.tool;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.Session;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.tool.internal.StoreMemoryTool;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Claude memory tool ({@code memory_20250818}) over the attachments of a session: the six commands {@code view},
 * {@code create}, {@code str_replace}, {@code insert}, {@code delete} and {@code rename}, on paths under
 * {@code /memories}, answered with the exact result strings the model is trained on.
 *
 * <p>Each attachment is a directory {@code /memories/<slug>/} (its mount slug, as in the session's
 * {@code /mnt/memory/<slug>/}): {@code /memories/project-notes/java.md} is the memory {@code /java.md} of the store
 * mounted as {@code project-notes}. {@code view /memories} lists every mount; {@code /memories} itself holds no files.
 * A rename stays inside one store. {@link #systemPrompt()} tells the model exactly these paths, with each mount's
 * access and instructions; send it as (part of) the system prompt so that the prompt and the tool agree.
 *
 * <p>Every command goes through the session's {@link dev.agentmemory.Memories} handle for the mount, so the store's
 * rules apply unchanged: a change is one version attributed to the session, a read-only or archived attachment refuses
 * every change, limits are enforced by the store. A refused or failed command returns a {@link ToolResult} with
 * {@link ToolResult#isError()} set and changes nothing; it never throws for anything the model can cause. Paths
 * outside {@code /memories}, with {@code ..} segments or encoded traversal, are refused. The exact strings, the path
 * rules and the choices made where the reference implementations differ are listed in {@code docs/memory-tool.md}.
 *
 * <pre>{@code
 * MemoryTool tool = MemoryTool.of(session);            // every attachment, under /memories/<slug>/
 * String system = tool.systemPrompt();                 // names /memories/<slug>/, access and instructions per mount
 * ToolResult result = tool.execute("{\"command\":\"view\",\"path\":\"/memories\"}");
 * }</pre>
 *
 * <p>Implementations are thread-safe: concurrent commands on one file never lose an update (read-modify-write commands
 * are conditional on the content they read and are retried a bounded number of times).
 */
public interface MemoryTool {

    /** The default cap on the characters of a {@code view} result's body (numbered lines or listing lines). */
    int DEFAULT_MAX_VIEW_CHARS = 16_000;

    /**
     * Starts a memory tool over the attachments of a session: all of them, unless {@link Builder#mounts(String...)}
     * names a subset.
     *
     * @param session the session whose attachments the tool serves; every change is attributed to it
     * @return a builder
     */
    static Builder builder(Session session) {
        return new Builder(session);
    }

    /**
     * Returns a memory tool over every attachment of the session, each under {@code /memories/<slug>/}.
     *
     * @param session the session
     * @return the tool
     */
    static MemoryTool of(Session session) {
        return builder(session).build();
    }

    /**
     * Returns the attachments this tool serves, in the session's order; each is the directory
     * {@code /memories/<slug>/}.
     *
     * @return the attachments
     */
    List<Attachment> mounts();

    /**
     * Renders the system-prompt section made for this tool: the {@code /memories/<slug>/} directory of each mount,
     * its access (read-only for a read-only attachment or an archived store), the store's name and description as
     * snapshot when the session was created, and the attachment's instructions. Use it instead of
     * {@link Session#systemPrompt()} (which describes {@code /mnt/memory/<slug>/}, the paths of the file views) when
     * the model reaches its memory through this tool. Store texts are quoted so that they cannot pass themselves off
     * as the prompt's own structure.
     *
     * @return the section, in Markdown
     */
    String systemPrompt();

    /**
     * Shows a directory two levels deep, or a file with line numbers. {@code /memories} lists the mounts.
     *
     * @param path a path under {@code /memories}
     * @param viewRange empty for the whole file, or {@code [start, end]}: 1-based, inclusive, {@code -1} for the end
     * @return the listing or the numbered lines, or an error result
     */
    ToolResult view(String path, Optional<List<Long>> viewRange);

    /**
     * Creates a file; refuses to overwrite one.
     *
     * @param path a path under {@code /memories}
     * @param fileText the content
     * @return {@code File created successfully at: {path}}, or an error result
     */
    ToolResult create(String path, String fileText);

    /**
     * Replaces the one occurrence of {@code oldStr} in a file, literally.
     *
     * @param path a path under {@code /memories}
     * @param oldStr the text to replace; must occur exactly once in the whole file
     * @param newStr the replacement; empty deletes {@code oldStr}
     * @return the edit confirmation with a numbered snippet, or an error result
     */
    ToolResult strReplace(String path, String oldStr, Optional<String> newStr);

    /**
     * Inserts text after line {@code insertLine} (0 = at the top).
     *
     * @param path a path under {@code /memories}
     * @param insertLine the line after which to insert, in {@code [0, number of lines]}
     * @param insertText the text to insert
     * @return {@code The file {path} has been edited.}, or an error result
     */
    ToolResult insert(String path, long insertLine, String insertText);

    /**
     * Deletes a file, or a directory with everything under it.
     *
     * @param path a path under {@code /memories/<slug>/}, not {@code /memories} nor a mount's directory itself
     * @return {@code Successfully deleted {path}}, or an error result
     */
    ToolResult delete(String path);

    /**
     * Renames a file or moves a directory inside one store; the destination must not exist.
     *
     * @param oldPath the existing path under {@code /memories}
     * @param newPath the new path under {@code /memories}
     * @return {@code Successfully renamed {oldPath} to {newPath}}, or an error result
     */
    ToolResult rename(String oldPath, String newPath);

    /**
     * Runs one {@code tool_use} input as the Messages API delivers it, decoded from JSON: a map with {@code command}
     * and that command's parameters ({@code path}, {@code view_range}, {@code file_text}, {@code old_str},
     * {@code new_str}, {@code insert_line}, {@code insert_text}, {@code old_path}, {@code new_path}). A missing or
     * malformed parameter gives an error result.
     *
     * @param input the decoded input
     * @return the command's result
     */
    ToolResult execute(Map<String, ?> input);

    /**
     * Runs one {@code tool_use} input given as its JSON text.
     *
     * @param inputJson the input object as JSON
     * @return the command's result; malformed JSON gives an error result
     */
    ToolResult execute(String inputJson);

    /** Builds a {@link MemoryTool}. Not thread-safe; the tool it builds is. */
    final class Builder {
        private final Session session;
        private Optional<List<String>> slugs = Optional.empty();
        private int maxViewChars = DEFAULT_MAX_VIEW_CHARS;

        private Builder(Session session) {
            this.session = Objects.requireNonNull(session, "session");
        }

        /**
         * Serves only the named attachments (each still under {@code /memories/<slug>/}); the others are invisible to
         * the tool and its prompt. By default every attachment is served.
         *
         * @param mountSlugs the slugs, for example {@code project-notes}; at least one
         * @return this builder
         * @throws InvalidArgumentException if no slug is given
         */
        public Builder mounts(String... mountSlugs) {
            List<String> list = List.of(mountSlugs);
            if (list.isEmpty()) {
                throw new InvalidArgumentException("tool.mounts", "name at least one mount, or leave mounts(...)"
                        + " out to serve every attachment of the session");
            }
            this.slugs = Optional.of(list);
            return this;
        }

        /**
         * Sets the cap on a {@code view} result: the numbered lines or listing lines it shows are cut, at a line
         * boundary, to at most this many characters, and a note says how to see the rest.
         *
         * @param chars at least 1,000; {@value MemoryTool#DEFAULT_MAX_VIEW_CHARS} by default
         * @return this builder
         * @throws InvalidArgumentException if {@code chars} is below 1,000
         */
        public Builder maxViewChars(int chars) {
            if (chars < 1_000) {
                throw new InvalidArgumentException("tool.max_view_chars",
                        "maxViewChars must be at least 1000, got " + chars);
            }
            this.maxViewChars = chars;
            return this;
        }

        /**
         * Returns the tool.
         *
         * @return the tool
         * @throws dev.agentmemory.error.NotFoundException if a named mount is not attached to the session
         */
        public MemoryTool build() {
            List<StoreMemoryTool.Mount> mounts = new ArrayList<>();
            Set<String> wanted = new LinkedHashSet<>(slugs.orElse(List.of()));
            for (Attachment a : session.attachments()) {
                if (slugs.isEmpty() || wanted.contains(a.slug())) {
                    mounts.add(new StoreMemoryTool.Mount(a, session.mount(a.slug())));
                }
            }
            for (String slug : wanted) {
                session.mount(slug); // throws NotFoundException, naming the session's mounts, if it is not one
            }
            return new DefaultMemoryTool(new StoreMemoryTool(mounts, maxViewChars));
        }
    }
}
