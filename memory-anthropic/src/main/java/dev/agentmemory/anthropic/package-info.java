/**
 * The memory store in the Anthropic Java SDK: {@link dev.agentmemory.anthropic.StoreMemoryToolHandler} is the SDK's
 * {@code BetaMemoryToolHandler} over a session's attachments (each under {@code /memories/<slug>/}), for the SDK's
 * {@code BetaToolRunner}.
 */
package dev.agentmemory.anthropic;
