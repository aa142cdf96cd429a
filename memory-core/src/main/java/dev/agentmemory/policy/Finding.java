package dev.agentmemory.policy;

import java.util.Objects;

/**
 * One span of a write's content that a policy's rule matched, for example the value of an API key.
 *
 * <p>Offsets are UTF-16 indices into the content of the {@link WriteRequest} the policy evaluated (as
 * {@link String#substring(int, int)} takes them), never into a redacted copy.
 *
 * @param policy the name of the policy that found it, for example {@code secret-scanner}
 * @param rule the id of the rule that matched, for example {@code aws-access-key-id}
 * @param start the index of the span's first character
 * @param end the index just past the span's last character, greater than {@code start}
 */
public record Finding(String policy, String rule, int start, int end) {

    /** Checks that the names are present and the span is not empty. */
    public Finding {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rule, "rule");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("a finding's span must be non-empty and start at 0 or later: ["
                    + start + ", " + end + ")");
        }
    }

    /**
     * Tells whether this span overlaps or touches another.
     *
     * @param other the other span
     * @return true if the two share a character or are adjacent
     */
    public boolean touches(Finding other) {
        return start <= other.end && other.start <= end;
    }
}
