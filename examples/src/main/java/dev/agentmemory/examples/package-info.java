/**
 * Runnable examples. {@link dev.agentmemory.examples.Demo} is the README's main command; the samples show one surface
 * each: {@link dev.agentmemory.examples.CoreApiExample} (the core API), {@link dev.agentmemory.examples.NioViewExample}
 * (the {@code java.nio.file} view), {@link dev.agentmemory.examples.CheckoutExample} (a directory checkout),
 * {@link dev.agentmemory.examples.MemoryToolExample} (Claude's memory tool without an SDK) and
 * {@link dev.agentmemory.examples.SdkRunnerExample} (the Anthropic Java SDK's tool runner). The live FUSE mount's
 * sample, {@code MountExample}, is in memory-fuse's test sources ({@code dev.agentmemory.fuse.examples}): that module
 * needs Java 22+, and this one is built on the Java 17 baseline.
 */
package dev.agentmemory.examples;
