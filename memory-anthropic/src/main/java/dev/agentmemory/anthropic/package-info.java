/**
 * The memory store in the Anthropic Java SDK: {@link dev.agentmemory.anthropic.StoreMemoryToolHandler} is the SDK's
 * {@code BetaMemoryToolHandler} over a session's attachment, for the SDK's {@code BetaToolRunner}.
 */
package dev.agentmemory.anthropic;
