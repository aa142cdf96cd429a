/**
 * A session's memory stores as the Anthropic Java SDK's memory tool handler ({@code dev.agentmemory.anthropic}), for
 * the SDK's tool runner.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // memory-core is the automatic module dev.agentmemory.core
module dev.agentmemory.anthropic {
    requires transitive dev.agentmemory.core;
    requires transitive com.anthropic.core; // BetaMemoryToolHandler, which the handler implements
    requires org.slf4j;

    exports dev.agentmemory.anthropic;
}
