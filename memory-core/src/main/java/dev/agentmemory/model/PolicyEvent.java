package dev.agentmemory.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An audit record of a write that a write policy refused or held for review: who tried to write where, which policy
 * and rule decided, and when. It never holds the content that was written. Immutable.
 *
 * @param id the event's id ({@code polev_...}); ids sort by creation time
 * @param storeId the store written to
 * @param path the path the write targeted
 * @param actor who attempted the write
 * @param outcome what the policy decided
 * @param policy the name of the policy that decided, for example {@code secret-scanner}
 * @param rule the id of the rule that matched, for example {@code github-pat}
 * @param createdAt when the attempt was made
 */
public record PolicyEvent(
        String id,
        StoreId storeId,
        String path,
        Actor actor,
        Outcome outcome,
        String policy,
        String rule,
        Instant createdAt) {

    /** The prefix of event ids. */
    public static final String PREFIX = "polev_";

    /** Checks that every field is present. */
    public PolicyEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** What a policy decided about an attempted write that was not stored as asked. */
    public enum Outcome {
        /** Refused: nothing was written. */
        BLOCKED("blocked"),
        /** Held in quarantine for an operator to release or discard. */
        QUARANTINED("quarantined");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        /**
         * Returns the name used in storage and on the wire.
         *
         * @return {@code blocked} or {@code quarantined}
         */
        public String wireName() {
            return wireName;
        }

        /**
         * Parses a wire name.
         *
         * @param name {@code blocked} or {@code quarantined}
         * @return the outcome
         * @throws IllegalArgumentException for any other name
         */
        public static Outcome fromWireName(String name) {
            for (Outcome o : values()) {
                if (o.wireName.equals(name)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown policy event outcome: " + name);
        }
    }
}
