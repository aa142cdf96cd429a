/**
 * The Claude memory tool ({@code memory_20250818}) on a memory store: {@link dev.agentmemory.tool.MemoryTool} answers
 * the tool's six commands over the attachments of a session, each under {@code /memories/<slug>/}, with the exact strings the model expects.
 */
package dev.agentmemory.tool;
