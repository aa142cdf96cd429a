package dev.agentmemory.policy;

import dev.agentmemory.model.Actor;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Makes stores that hold reference material read-only by default: a store whose metadata has
 * {@value #METADATA_KEY} set is written only by the actor kinds this policy names (by default every operator kind:
 * API keys, users and service accounts), never by an agent session, whatever the session's attachment says.
 *
 * <p>The metadata value is read fail-closed: {@code "false"} (or no key) means an ordinary store; {@code "true"} and
 * every other value, including a misspelt one, mean a reference store. Blocks with the rule {@code reference-store}.
 * Pure, immutable and thread-safe.
 */
public final class ReferenceStorePolicy implements WritePolicy {

    /** The store metadata key that marks reference material. */
    public static final String METADATA_KEY = "agentmemory.reference";

    /** The name this policy reports. */
    public static final String NAME = "reference-store";

    private static final ReferenceStorePolicy DEFAULTS =
            new ReferenceStorePolicy(EnumSet.of(Actor.Type.API_KEY, Actor.Type.USER, Actor.Type.SERVICE_ACCOUNT));

    private final Set<Actor.Type> writers;

    private ReferenceStorePolicy(Set<Actor.Type> writers) {
        this.writers = Set.copyOf(writers);
    }

    /**
     * Returns the policy that lets operators (every actor kind but sessions) write reference stores.
     *
     * @return the policy
     */
    public static ReferenceStorePolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a policy that lets only these actor kinds write reference stores.
     *
     * @param writers the actor kinds allowed; empty makes reference stores read-only for everyone
     * @return the policy
     */
    public static ReferenceStorePolicy writableBy(Set<Actor.Type> writers) {
        Objects.requireNonNull(writers, "writers");
        return new ReferenceStorePolicy(writers.isEmpty() ? EnumSet.noneOf(Actor.Type.class) : EnumSet.copyOf(writers));
    }

    /**
     * Tells whether store metadata marks a reference store.
     *
     * @param metadata a store's metadata
     * @return false only when the key is absent or its value is {@code false} (ignoring case and surrounding blanks)
     */
    public static boolean isReference(java.util.Map<String, String> metadata) {
        String v = metadata.get(METADATA_KEY);
        return v != null && !v.strip().toLowerCase(Locale.ROOT).equals("false");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict evaluate(WriteRequest request) {
        if (!isReference(request.storeMetadata()) || writers.contains(request.actor().type())) {
            return Verdict.allow();
        }
        return Verdict.block(NAME, "reference-store", "store " + request.store().value()
                + " holds reference material (metadata " + METADATA_KEY + "=" + request.storeMetadata().get(METADATA_KEY)
                + ") and is read-only for " + request.actor().type().wireName()
                + "; ask an operator to change it, or write to another store");
    }

    @Override
    public String toString() {
        return "ReferenceStorePolicy[writers=" + writers + "]";
    }
}
