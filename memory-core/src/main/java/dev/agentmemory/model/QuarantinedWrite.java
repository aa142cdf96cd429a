package dev.agentmemory.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A write that a write policy held for review: stored where only operators see it, invisible to every session's
 * reads, listings and searches, until an operator releases it (it is then applied as its original actor's write) or
 * discards it. Immutable.
 *
 * <p>The write is kept as the changes it would have made, in order, each with the content it would have stored: any
 * span another policy asked to redact is already replaced by its marker, so an operator reviewing it is never shown
 * a credential.
 *
 * @param id the quarantined write's id ({@code qwrite_...}); ids sort by creation time
 * @param storeId the store it was written to
 * @param actor who wrote it; a release attributes the versions to this actor
 * @param createdAt when it was written
 * @param policy the name of the policy that held it, for example {@code injection-detector}
 * @param rule the id of the rule that matched
 * @param reason why, for the operator who reviews it
 * @param changes the changes it would make, in order, not empty
 */
public record QuarantinedWrite(
        String id,
        StoreId storeId,
        Actor actor,
        Instant createdAt,
        String policy,
        String rule,
        String reason,
        List<HeldChange> changes) {

    /** The prefix of quarantined write ids. */
    public static final String PREFIX = "qwrite_";

    /** Checks that every field is present and copies the changes. */
    public QuarantinedWrite {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        changes = List.copyOf(changes);
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("a quarantined write holds at least one change");
        }
    }

    /**
     * One change of a quarantined write.
     *
     * @param change the change as it would be applied (a create, an update with its new content or path, or a
     *     delete), with any precondition it was made under
     * @param policyRedactions the ids of the rules whose matches in this change's content were replaced by markers;
     *     the version a release makes records them
     */
    public record HeldChange(Change change, List<String> policyRedactions) {

        /** Checks that every field is present and copies the rules. */
        public HeldChange {
            Objects.requireNonNull(change, "change");
            policyRedactions = List.copyOf(policyRedactions);
        }

        /**
         * Returns the path this change writes to (for a delete or an update without a new path, empty).
         *
         * @return a short description for listings, such as {@code create /notes/a.md}
         */
        public String describe() {
            if (change instanceof Change.Create c) {
                return "create " + c.path();
            } else if (change instanceof Change.Update u) {
                return "update " + u.memoryId() + u.update().path().map(p -> " -> " + p).orElse("")
                        + (u.update().content().isPresent() ? " (new content)" : "");
            }
            return "delete " + ((Change.Delete) change).memoryId();
        }
    }
}
