package dev.agentmemory.policy;

import dev.agentmemory.model.MemoryStore;
import java.util.Objects;

/**
 * Chooses the write policies of a store, so that stores may be guarded differently: for example the default chain on
 * every store, and a stricter one on stores whose metadata marks them as shared. Given to
 * {@link dev.agentmemory.AgentMemory.Builder#writePolicies(StorePolicies)}.
 *
 * <p>Called once per write with the store as that write sees it, so it must be fast and thread-safe, and should
 * return the same chain object for the same kind of store: stateful policies (such as {@link SessionQuota}) count only
 * the writes that reach them.
 */
@FunctionalInterface
public interface StorePolicies {

    /**
     * Returns the chain that guards writes to a store.
     *
     * @param store the store written to, with its metadata
     * @return the chain; an empty chain ({@code WritePolicyChain.of()}) lets every write through unchecked
     */
    WritePolicyChain forStore(MemoryStore store);

    /**
     * Returns a choice that guards every store with the same chain.
     *
     * @param chain the chain
     * @return the choice
     */
    static StorePolicies all(WritePolicyChain chain) {
        Objects.requireNonNull(chain, "chain");
        return store -> chain;
    }
}
