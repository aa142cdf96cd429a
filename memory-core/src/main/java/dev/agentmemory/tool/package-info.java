/**
 * The Claude memory tool ({@code memory_20250818}) on memory stores: {@link dev.agentmemory.tool.MemoryTool} answers
 * the tool's six commands over the attachments of a session, each under {@code /memories/<slug>/}, with the exact
 * strings the model expects, and renders the system prompt that tells the model those paths.
 */
package dev.agentmemory.tool;
