/**
 * JMH benchmarks of the in-memory backend through the public API, each beside a floor measured in the same run.
 *
 * <p>A floor is the least work the operation cannot avoid, done with plain JDK parts: for a write, the UTF-8 encoding
 * and SHA-256 of the same bytes and a {@link java.util.concurrent.ConcurrentHashMap} put; for a read, a
 * {@code ConcurrentHashMap} get. The target is that writes reach at least half their floor's throughput. See the
 * module's README for how to build and run them.
 */
package dev.agentmemory.benchmarks;
