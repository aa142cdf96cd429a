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
import java.security.SecureRandom;

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

    /**
     * What the chained floor stores per memory: the floor's text and digest, and the version's leaf and link hashes.
     *
     * @param content the text
     * @param sha256 its SHA-256
     * @param leaf the salted hash of the path and content
     * @param link the chain link's hash
     */
    record ChainedStored(String content, byte[] sha256, byte[] leaf, byte[] link) {
    }

    /**
     * The least work of chaining one version, written here with plain JDK parts and independently of the library: a
     * fresh random salt (32 bytes from a {@link SecureRandom}, fetched in blocks), a salted leaf hash (SHA-256 of the
     * salt, the path and the whole content) and a link hash (SHA-256 of the previous link, the version's metadata
     * and the leaf). What a hash-chained write must add to {@code UTF-8 + SHA-256 + map put}, and nothing else: no
     * ids, no rules, no records. Confined to one thread.
     */
    static final class ChainFloor {
        private final SecureRandom random = new SecureRandom();
        private final byte[] salts = new byte[32 * 64];
        private int next = salts.length;
        private final MessageDigest md = sha256();
        private byte[] previous = new byte[32];
        private long position;
        /** Metadata of the size a version link carries: ids of a store, a version and a memory, an actor, a time. */
        private final byte[] metadata = new byte[8 + 3 * 34 + 24 + 16 + 8];

        /**
         * Chains one version of a path's content.
         *
         * @param path the path's UTF-8 bytes
         * @param content the content's UTF-8 bytes
         * @return what to store beside the text and digest: the leaf, then the link
         */
        byte[][] chain(byte[] path, byte[] content) {
            if (next == salts.length) {
                random.nextBytes(salts);
                next = 0;
            }
            md.update(salts, next, 32);
            next += 32;
            md.update(path);
            md.update(content);
            byte[] leaf = md.digest();
            position++;
            for (int i = 0; i < 8; i++) {
                metadata[i] = (byte) (position >>> (56 - 8 * i));
            }
            md.update(previous);
            md.update(metadata);
            md.update(leaf);
            previous = md.digest();
            return new byte[][] {leaf, previous};
        }
    }
}
