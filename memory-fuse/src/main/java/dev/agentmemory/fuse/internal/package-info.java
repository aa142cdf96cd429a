/**
 * The FUSE file system behind {@link dev.agentmemory.fuse.MemoryMount}: one {@code StoreFs} per attachment translating
 * kernel requests into calls on the session's {@link dev.agentmemory.Memories}, open-file buffers committed at close,
 * the errno mapping, and the clearing of mounts left by a killed process. Not API.
 */
package dev.agentmemory.fuse.internal;
