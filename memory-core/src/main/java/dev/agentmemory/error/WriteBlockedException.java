package dev.agentmemory.error;

import java.util.Objects;

/**
 * A write policy refused a write: nothing was written. The exception names the policy and the rule that matched, so
 * the caller can tell a leaked credential from a quota or a read-only reference store; its message never repeats the
 * content that matched.
 */
public class WriteBlockedException extends MemoryException {

    private final String policy;
    private final String rule;

    /**
     * Creates the exception.
     *
     * @param policy the name of the policy that refused, for example {@code secret-scanner}
     * @param rule the id of the rule that matched, for example {@code github-pat}
     * @param reason what was refused and what to do instead
     */
    public WriteBlockedException(String policy, String rule, String reason) {
        super(Kind.WRITE_BLOCKED, "write blocked by policy " + Objects.requireNonNull(policy, "policy")
                + " (rule " + Objects.requireNonNull(rule, "rule") + "): " + Objects.requireNonNull(reason, "reason"),
                null);
        this.policy = policy;
        this.rule = rule;
    }

    /**
     * Returns the name of the policy that refused the write.
     *
     * @return for example {@code session-quota}
     */
    public String policy() {
        return policy;
    }

    /**
     * Returns the id of the rule that matched.
     *
     * @return for example {@code writes_per_minute}
     */
    public String rule() {
        return rule;
    }
}
