/**
 * A session's memory stores as a {@code java.nio.file.FileSystem}: {@code /mnt/memory/<slug>/...} per attachment.
 */
package dev.agentmemory.fs;
