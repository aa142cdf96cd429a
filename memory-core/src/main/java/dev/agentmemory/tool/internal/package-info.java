/**
 * The store-backed implementation of the memory tool: not part of the API, may change in any release. It does not
 * know the tool's API package: {@code dev.agentmemory.tool} wraps {@link dev.agentmemory.tool.internal.StoreMemoryTool}
 * and turns each {@link dev.agentmemory.tool.internal.ToolReply} into its result.
 *
 * <p>{@link dev.agentmemory.tool.internal.ToolPaths} checks {@code /memories} paths and splits them into mount and
 * store path, {@link dev.agentmemory.tool.internal.TextLines} is the line model shared by {@code view},
 * {@code insert} and the {@code str_replace} snippet, and {@link dev.agentmemory.tool.internal.StoreMemoryTool} runs
 * the six commands on the session's {@link dev.agentmemory.Memories} handle of each mount, translating the store's
 * exceptions into error results.
 */
package dev.agentmemory.tool.internal;
