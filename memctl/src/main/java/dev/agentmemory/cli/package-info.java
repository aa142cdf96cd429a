/**
 * The {@code memctl} command line: {@link dev.agentmemory.cli.Memctl} is its entry point. The commands themselves are
 * implementation, in {@code dev.agentmemory.cli.internal}.
 */
package dev.agentmemory.cli;
