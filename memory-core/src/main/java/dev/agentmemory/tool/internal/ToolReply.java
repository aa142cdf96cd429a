package dev.agentmemory.tool.internal;

import java.util.Objects;

/**
 * What a command of the tool answers: the text the model sees, exactly, and whether the command failed (and so
 * changed nothing). The tool's API hands it on as its own result type.
 *
 * @param text the text, complete (an error's text already starts with {@code Error: } where the reference does)
 * @param isError whether the command failed
 */
public record ToolReply(String text, boolean isError) {

    /** Checks the text is present. */
    public ToolReply {
        Objects.requireNonNull(text, "text");
    }

    static ToolReply ok(String text) {
        return new ToolReply(text, false);
    }

    static ToolReply error(String text) {
        return new ToolReply(text, true);
    }
}
