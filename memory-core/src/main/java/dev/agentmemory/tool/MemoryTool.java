package dev.agentmemory.tool;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * <p>Implementations are thread-safe.
 */
public interface MemoryTool {

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
}
