/**
 * The implementation of {@code memctl}: its commands, the mapping from the core's exceptions to exit codes, and the
 * table, JSON and progress output. Not an API: it may change in any release.
 */
package dev.agentmemory.cli.internal;
