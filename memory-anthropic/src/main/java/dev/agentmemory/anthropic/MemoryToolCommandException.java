package dev.agentmemory.anthropic;

import dev.agentmemory.tool.ToolResult;
import java.util.Objects;

/**
 * A memory-tool command that failed, thrown by {@link StoreMemoryToolHandler} so that the SDK's
 * {@code BetaToolRunner} sends it back as a {@code tool_result} with {@code is_error: true}.
 *
 * <p>The runner turns any exception a handler throws into the content {@code "Error: " + getMessage()}. The message
 * is therefore the result text without a leading {@code "Error: "}: a text that starts with it reaches the model
 * exactly once prefixed, and a text without it (such as
 * {@code The path /memories/notes/x does not exist. Please provide a valid path.}) reaches the model as
 * {@code Error: } followed by that text. {@link #result()} keeps the text exactly
 * as the store's memory tool produced it.
 *
 * <p>Instances carry no stack trace: they report an expected outcome, not a fault in the program. Immutable.
 */
public final class MemoryToolCommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The prefix the SDK's tool runner puts before the message of every exception a handler throws. */
    static final String RUNNER_PREFIX = "Error: ";

    private final String text;

    /**
     * Wraps a failed result.
     *
     * @param result the failed result; its {@link ToolResult#isError()} must be set
     * @throws IllegalArgumentException if {@code result} is not an error
     */
    public MemoryToolCommandException(ToolResult result) {
        super(messageOf(result), null, false, false);
        this.text = result.text();
    }

    /**
     * The result exactly as the store's memory tool produced it.
     *
     * @return the failed result
     */
    public ToolResult result() {
        return ToolResult.error(text);
    }

    /**
     * The text the model sees when the SDK's tool runner reports this exception: {@code "Error: " + getMessage()}.
     *
     * @return the {@code tool_result} content the runner sends
     */
    public String textSeenByModel() {
        return RUNNER_PREFIX + getMessage();
    }

    private static String messageOf(ToolResult result) {
        Objects.requireNonNull(result, "result");
        if (!result.isError()) {
            throw new IllegalArgumentException("not an error result: " + result.text());
        }
        String text = result.text();
        return text.startsWith(RUNNER_PREFIX) ? text.substring(RUNNER_PREFIX.length()) : text;
    }
}
