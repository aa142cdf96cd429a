/**
 * A session's memory stores as a {@code java.nio.file.FileSystem}: {@code /mnt/memory/<slug>/...} per attachment.
 * Open one with {@link dev.agentmemory.fs.MemoryFileSystems}; a file written through it becomes one version when it
 * is closed. {@link dev.agentmemory.fs.ExpectedContentSha256} makes a write conditional, and
 * {@link dev.agentmemory.fs.MemoryFileAttributes} exposes the memory behind a file.
 */
package dev.agentmemory.fs;
