/**
 * The Claude memory tool ({@code memory_20250818}) on a memory store: {@link dev.agentmemory.tool.MemoryTool} answers
 * the tool's six commands over one attachment of a session, with the exact strings the model expects.
 */
package dev.agentmemory.tool;
