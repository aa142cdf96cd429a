package dev.agentmemory.tool;

import dev.agentmemory.InvalidArgumentException;
import dev.agentmemory.Memories;
import dev.agentmemory.Session;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.tool.internal.StoreMemoryTool;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Claude memory tool ({@code memory_20250818}) over one attachment of a session: the six commands {@code view},
 * {@code create}, {@code str_replace}, {@code insert}, {@code delete} and {@code rename}, on paths under
 * {@code /memories}, answered with the exact result strings the model is trained on.
 *
 * <p>Every command goes through the session's {@link dev.agentmemory.Memories} handle, so the store's rules apply
 * unchanged: a change is one version attributed to the session, a read-only or archived attachment refuses every
 * change, limits are enforced by the store. A refused or failed command returns a {@link ToolResult} with
 * {@link ToolResult#isError()} set and changes nothing; it never throws for anything the model can cause. Paths
 * outside {@code /memories}, with {@code ..} segments or encoded traversal, are refused.
 *
 * <p>{@code /memories} is the root of the chosen attachment: {@code /memories/notes/java.md} is the memory
 * {@code /notes/java.md} of that store. The exact strings, the path rules and the choices made where the reference
 * implementations differ are listed in {@code docs/memory-tool.md}.
 *
 * <pre>{@code
 * MemoryTool tool = MemoryTool.builder(session).mount("project-notes").build();
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
     * Starts a memory tool over one attachment of a session. Without {@link Builder#mount(String)}, the session's only
     * attachment is used.
     *
     * @param session the session whose attachment {@code /memories} stands for; every change is attributed to it
     * @return a builder
     */
    static Builder builder(Session session) {
        return new Builder(session);
    }

    /**
     * Returns a memory tool over the session's only attachment.
     *
     * @param session the session
     * @return the tool
     * @throws InvalidArgumentException if the session has no attachment or more than one
     */
    static MemoryTool of(Session session) {
        return builder(session).build();
    }

    /**
     * Shows a directory two levels deep, or a file with line numbers.
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
     * @param path a path under {@code /memories}, not {@code /memories} itself
     * @return {@code Successfully deleted {path}}, or an error result
     */
    ToolResult delete(String path);

    /**
     * Renames a file or moves a directory; the destination must not exist.
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
        private Optional<String> slug = Optional.empty();
        private Optional<StoreId> storeId = Optional.empty();
        private int maxViewChars = DEFAULT_MAX_VIEW_CHARS;

        private Builder(Session session) {
            this.session = Objects.requireNonNull(session, "session");
        }

        /**
         * Chooses the attachment {@code /memories} stands for, by its mount slug.
         *
         * @param mountSlug for example {@code project-notes}
         * @return this builder
         */
        public Builder mount(String mountSlug) {
            this.slug = Optional.of(Objects.requireNonNull(mountSlug, "mountSlug"));
            this.storeId = Optional.empty();
            return this;
        }

        /**
         * Chooses the attachment {@code /memories} stands for, by its store.
         *
         * @param attachedStore a store attached to the session
         * @return this builder
         */
        public Builder mount(StoreId attachedStore) {
            this.storeId = Optional.of(Objects.requireNonNull(attachedStore, "attachedStore"));
            this.slug = Optional.empty();
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
         * @throws InvalidArgumentException if no mount was named and the session has no attachment or more than one
         * @throws dev.agentmemory.NotFoundException if the named mount or store is not attached to the session
         */
        public MemoryTool build() {
            Memories memories;
            if (slug.isPresent()) {
                memories = session.mount(slug.get());
            } else if (storeId.isPresent()) {
                memories = session.mount(storeId.get());
            } else {
                List<Attachment> attachments = session.attachments();
                if (attachments.size() != 1) {
                    String slugs = attachments.stream().map(Attachment::slug).collect(Collectors.joining(", "));
                    throw new InvalidArgumentException("tool.mount", attachments.isEmpty()
                            ? "session " + session.id().value() + " has no attachment for the memory tool to use; attach a"
                                    + " store when creating the session"
                            : "session " + session.id().value() + " has " + attachments.size() + " attachments (" + slugs
                                    + "); name the one /memories stands for with MemoryTool.builder(session)"
                                    + ".mount(slug)");
                }
                memories = session.mount(attachments.get(0).slug());
            }
            return new StoreMemoryTool(memories, maxViewChars);
        }
    }
}
