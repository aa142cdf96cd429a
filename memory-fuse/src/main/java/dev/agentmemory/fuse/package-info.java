/**
 * A session's stores as a live directory tree the kernel serves: {@link dev.agentmemory.fuse.MemoryMount} mounts each
 * attachment at {@code <root>/<slug>} with FUSE, so bash, sed, grep and any program edit memory directly, every closed
 * write becomes one version attributed to the session, other writers' changes are visible at the next read, and a
 * read-only attachment is a read-only mount that the kernel itself refuses to write (EROFS). Linux only; needs
 * libfuse3 and Java 22 or newer.
 */
package dev.agentmemory.fuse;
