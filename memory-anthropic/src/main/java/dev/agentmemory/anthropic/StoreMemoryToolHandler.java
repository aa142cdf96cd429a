package dev.agentmemory.anthropic;

import com.anthropic.helpers.BetaMemoryToolHandler;
import dev.agentmemory.Session;
import dev.agentmemory.tool.MemoryTool;
import dev.agentmemory.tool.ToolResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Anthropic Java SDK's {@link BetaMemoryToolHandler} over a session's memory stores: each command of the Claude
 * memory tool ({@code memory_20250818}) that the SDK's {@code BetaToolRunner} receives runs through a
 * {@link MemoryTool} over the attachments of a {@link dev.agentmemory.Session}, each under {@code /memories/<slug>/},
 * so every store rule applies (a read-only attachment refuses every change) and every change is a version attributed
 * to the session. Send {@link #systemPrompt()} as the system prompt so that the model knows those paths.
 *
 * <pre>{@code
 * StoreMemoryToolHandler memory = StoreMemoryToolHandler.of(session);   // every attachment of the session
 * BetaToolRunner runner = client.beta().messages().toolRunner(ToolRunnerCreateParams.builder()
 *         .initialMessageParams(MessageCreateParams.builder()
 *                 .model(model).maxTokens(2048)
 *                 .system(memory.systemPrompt())
 *                 .addTool(BetaMemoryTool20250818.builder().build())
 *                 .addUserMessage("Remember that I prefer tabs.")
 *                 .build())
 *         .betaMemoryToolHandler(memory)
 *         .build());
 * for (BetaMessage message : runner) { ... }
 * }</pre>
 *
 * <p><b>Results the model sees.</b> A successful command returns the memory tool's text unchanged. A failed command
 * throws a {@link MemoryToolCommandException}, because an exception is the only way a handler can make the runner set
 * {@code is_error: true} on the {@code tool_result}; the runner sends {@code "Error: " + message}. The exception's
 * message is the result text without its leading {@code "Error: "}, so a text such as
 * {@code Error: File /memories/notes/a.md already exists} reaches the model exactly, never as
 * {@code Error: Error: ...}; a text without that prefix, such as
 * {@code The path /memories/notes/x does not exist. Please provide a valid path.}, reaches the model as
 * {@code Error: The path /memories/notes/x does not exist. Please provide a valid path.} (the TypeScript SDK's runner
 * prefixes the same way). Call the handler directly and catch the exception to get
 * {@link MemoryToolCommandException#result()}, the text exactly as the memory tool produced it.
 *
 * <p>A failure of the store itself (a closed {@link dev.agentmemory.AgentMemory}, a backend error) is also an error
 * result of the memory tool, so it is thrown as a {@link MemoryToolCommandException} too and the model sees
 * {@code "Error: " + the store's message}.
 *
 * <p>The SDK requires {@code new_str} in a {@code str_replace} command: the runner fails to read a command without
 * it, before this handler is called, and the model gets {@code Error: `new_str` is not set}; nothing is written. An
 * empty {@code new_str} deletes {@code old_str}.
 *
 * <p>This class is thread-safe: it holds nothing but the memory tool, which is thread-safe.
 */
public final class StoreMemoryToolHandler implements BetaMemoryToolHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StoreMemoryToolHandler.class);

    private final MemoryTool tool;

    /**
     * A handler that runs every command through {@code tool}, for example one built with
     * {@code MemoryTool.builder(session).mounts("project-notes")} to expose only some attachments.
     *
     * @param tool the memory tool over attachments of a session
     */
    public StoreMemoryToolHandler(MemoryTool tool) {
        this.tool = Objects.requireNonNull(tool, "tool");
    }

    /**
     * A handler over every attachment of the session, however many: each is the directory {@code /memories/<slug>/}.
     *
     * @param session the session every change is attributed to
     * @return the handler
     */
    public static StoreMemoryToolHandler of(Session session) {
        return new StoreMemoryToolHandler(MemoryTool.of(session));
    }

    /**
     * The memory tool this handler runs commands through.
     *
     * @return the memory tool
     */
    public MemoryTool memoryTool() {
        return tool;
    }

    /**
     * The system-prompt section for this handler's tool: each mount's {@code /memories/<slug>/} directory, its access
     * and its instructions (see {@link MemoryTool#systemPrompt()}).
     *
     * @return the section, in Markdown
     */
    public String systemPrompt() {
        return tool.systemPrompt();
    }

    /**
     * Runs {@code view}.
     *
     * @param path a path under {@code /memories}
     * @param viewRange empty for everything, or {@code [start, end]}: 1-based, inclusive, {@code -1} for the end
     * @return the directory listing or the numbered lines
     * @throws MemoryToolCommandException if the command failed; nothing changed
     */
    @Override
    public String view(String path, Optional<List<Long>> viewRange) {
        return answer("view", tool.view(path, viewRange));
    }

    /**
     * Runs {@code create}.
     *
     * @param path a path under {@code /memories}
     * @param fileText the content
     * @return {@code File created successfully at: {path}}
     * @throws MemoryToolCommandException if the command failed; nothing changed
     */
    @Override
    public String create(String path, String fileText) {
        return answer("create", tool.create(path, fileText));
    }

    /**
     * Runs {@code str_replace}.
     *
     * @param path a path under {@code /memories}
     * @param oldStr the text to replace; must occur exactly once
     * @param newStr the replacement; empty deletes {@code oldStr}
     * @return the edit confirmation with a numbered snippet
     * @throws MemoryToolCommandException if the command failed; nothing changed
     */
    @Override
    public String strReplace(String path, String oldStr, String newStr) {
        return answer("str_replace", tool.strReplace(path, oldStr, Optional.of(newStr)));
    }

    /**
     * Runs {@code insert}.
     *
     * @param path a path under {@code /memories}
     * @param insertLine the line after which to insert (0 = at the top)
     * @param insertText the text to insert
     * @return {@code The file {path} has been edited.}
     * @throws MemoryToolCommandException if the command failed; nothing changed
     */
    @Override
    public String insert(String path, long insertLine, String insertText) {
        return answer("insert", tool.insert(path, insertLine, insertText));
    }

    /**
     * Runs {@code delete}.
     *
     * @param path a path under {@code /memories}
     * @return {@code Successfully deleted {path}}
     * @throws MemoryToolCommandException if the command failed; nothing changed
     */
    @Override
    public String delete(String path) {
        return answer("delete", tool.delete(path));
    }

    /**
     * Runs {@code rename}.
     *
     * @param oldPath the existing path under {@code /memories}
     * @param newPath the new path under {@code /memories}
     * @return {@code Successfully renamed {oldPath} to {newPath}}
     * @throws MemoryToolCommandException if the command failed; nothing changed
     */
    @Override
    public String rename(String oldPath, String newPath) {
        return answer("rename", tool.rename(oldPath, newPath));
    }

    private static String answer(String command, ToolResult result) {
        if (!result.isError()) {
            return result.text();
        }
        LOG.debug("memory tool {} failed: {}", command, result.text());
        throw new MemoryToolCommandException(result);
    }

    @Override
    public String toString() {
        return "StoreMemoryToolHandler[" + tool + "]";
    }
}
