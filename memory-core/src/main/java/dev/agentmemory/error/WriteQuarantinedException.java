package dev.agentmemory.error;

import java.util.Objects;

/**
 * A write policy held a write for review: it was stored where only operators see it, and is invisible to sessions
 * until an operator releases it ({@code StoreAdmin.releaseQuarantined}) or discards it. To the writer it is a refused
 * write ({@link MemoryException.Kind#WRITE_BLOCKED}): nothing it can read changed.
 */
public class WriteQuarantinedException extends WriteBlockedException {

    private final String quarantineId;

    /**
     * Creates the exception.
     *
     * @param policy the name of the policy that held the write
     * @param rule the id of the rule that matched
     * @param reason why
     * @param quarantineId the id the held write is kept under
     */
    public WriteQuarantinedException(String policy, String rule, String reason, String quarantineId) {
        super(policy, rule, reason + "; the write is held for an operator's review as "
                + Objects.requireNonNull(quarantineId, "quarantineId") + " and is not visible until released");
        this.quarantineId = quarantineId;
    }

    /**
     * Returns the id the held write is kept under, for an operator to release or discard it.
     *
     * @return for example {@code qwrite_...}
     */
    public String quarantineId() {
        return quarantineId;
    }
}
