package dev.agentmemory.benchmarks;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.Limits;
import dev.agentmemory.Memories;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.StoreId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** What the benchmarks share: a fresh in-memory service with one store, and the floor's digest. */
final class Bench {

    /**
     * Limits for benchmarking: a memory limit no iteration reaches (the default, 10,000 per store, is reached within
     * a fraction of a second of creates) and a content limit that leaves room for sizes above the default 100 KiB.
     */
    static final Limits LIMITS = Limits.builder()
            .maxMemoriesPerStore(10_000_000)
            .maxContentBytes(Limits.CONTENT_BYTES_CEILING)
            .build();

    private Bench() {
    }

    /** An open in-memory service and a read-write handle on its one store. */
    record Store(AgentMemory agentMemory, Memories memories) implements AutoCloseable {
        @Override
        public void close() {
            agentMemory.close();
        }
    }

    /**
     * Opens a fresh in-memory service with one empty store.
     *
     * @return the service and the store's handle
     */
    static Store openStore() {
        return openStore(AgentMemory.builder().backend(InMemoryBackend.create()).limits(LIMITS).build());
    }

    /**
     * Opens a fresh in-memory service whose write pipeline runs a write-policy chain, with one empty store.
     *
     * @param policies the chain
     * @return the service and the store's handle
     */
    static Store openGuardedStore(dev.agentmemory.policy.WritePolicyChain policies) {
        return openStore(AgentMemory.builder().backend(InMemoryBackend.create()).limits(LIMITS)
                .writePolicies(policies).build());
    }

    private static Store openStore(AgentMemory am) {
        var ws = am.workspace("bench");
        MemoryStore store = ws.stores().create(NewStore.named("bench").build());
        StoreId id = store.id();
        return new Store(am, ws.memories(id, Actor.user("bench-user")));
    }

    /**
     * Returns a new SHA-256 digest, as the core uses.
     *
     * @return the digest
     */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /**
     * What the floor stores per memory: the text and its digest, as the backend stores a memory's content and hash.
     *
     * @param content the text
     * @param sha256 its SHA-256
     */
    record Stored(String content, byte[] sha256) {
    }
}
