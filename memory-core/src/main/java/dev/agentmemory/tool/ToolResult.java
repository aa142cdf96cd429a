package dev.agentmemory.tool;

import java.util.Objects;

/**
 * The text a memory-tool command returns to the model, and whether it is an error ({@code is_error} on the
 * {@code tool_result} block).
 *
 * <p>The text is complete: where the reference strings start with {@code Error: }, the text already does, so an
 * adapter passes it on unchanged and must not add a prefix of its own.
 *
 * @param text the result text, exactly as the model should see it
 * @param isError whether the command failed; a failed command changed nothing
 */
public record ToolResult(String text, boolean isError) {

    /** Checks the text is present. */
    public ToolResult {
        Objects.requireNonNull(text, "text");
    }

    /**
     * A successful result.
     *
     * @param text the text
     * @return the result
     */
    public static ToolResult ok(String text) {
        return new ToolResult(text, false);
    }

    /**
     * A failed result.
     *
     * @param text the error text
     * @return the result
     */
    public static ToolResult error(String text) {
        return new ToolResult(text, true);
    }
}
