package dev.agentmemory.tool;

import dev.agentmemory.model.Attachment;
import dev.agentmemory.tool.internal.StoreMemoryTool;
import dev.agentmemory.tool.internal.ToolReply;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A {@link MemoryTool}: the tool's implementation seen through the API. Thread-safe, as the implementation is. */
final class DefaultMemoryTool implements MemoryTool {

    private final StoreMemoryTool tool;

    DefaultMemoryTool(StoreMemoryTool tool) {
        this.tool = Objects.requireNonNull(tool, "tool");
    }

    private static ToolResult result(ToolReply reply) {
        return new ToolResult(reply.text(), reply.isError());
    }

    @Override
    public List<Attachment> mounts() {
        return tool.mounts();
    }

    @Override
    public String systemPrompt() {
        return tool.systemPrompt();
    }

    @Override
    public ToolResult view(String path, Optional<List<Long>> viewRange) {
        return result(tool.view(path, viewRange));
    }

    @Override
    public ToolResult create(String path, String fileText) {
        return result(tool.create(path, fileText));
    }

    @Override
    public ToolResult strReplace(String path, String oldStr, Optional<String> newStr) {
        return result(tool.strReplace(path, oldStr, newStr));
    }

    @Override
    public ToolResult insert(String path, long insertLine, String insertText) {
        return result(tool.insert(path, insertLine, insertText));
    }

    @Override
    public ToolResult delete(String path) {
        return result(tool.delete(path));
    }

    @Override
    public ToolResult rename(String oldPath, String newPath) {
        return result(tool.rename(oldPath, newPath));
    }

    @Override
    public ToolResult execute(Map<String, ?> input) {
        return result(tool.execute(input));
    }

    @Override
    public ToolResult execute(String inputJson) {
        return result(tool.execute(inputJson));
    }

    @Override
    public String toString() {
        return tool.toString();
    }
}
