/**
 * The implementation of the memory file system: the SPI provider, paths, channels, directory streams and the watch
 * service. Not an API: use {@link dev.agentmemory.fs.MemoryFileSystems}.
 */
package dev.agentmemory.fs.internal;
