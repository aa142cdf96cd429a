/**
 * Runnable examples: {@link dev.agentmemory.examples.Demo} is the README's main job.
 */
package dev.agentmemory.examples;
