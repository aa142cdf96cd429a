package dev.agentmemory.policy;

import dev.agentmemory.error.WriteBlockedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link WritePolicy} decided about a write. Four kinds, from the least to the most severe:
 *
 * <ol>
 *   <li>{@link Allow}: store the write as asked.
 *   <li>{@link Redact}: store it with the matched spans replaced by {@linkplain #marker(String) markers}; the version
 *       is to record that it was redacted and by which rules.
 *   <li>{@link Quarantine}: store it where only operators see it, invisible to sessions, for an operator to release
 *       or discard.
 *   <li>{@link Block}: store nothing and fail the write with a {@link WriteBlockedException}.
 * </ol>
 *
 * <p>All verdicts are immutable values.
 */
public sealed interface Verdict permits Verdict.Allow, Verdict.Redact, Verdict.Quarantine, Verdict.Block {

    /**
     * Returns the verdict's rank: 0 allow, 1 redact, 2 quarantine, 3 block. A {@link WritePolicyChain} returns the
     * most severe verdict of its policies.
     *
     * @return the rank
     */
    int severity();

    /**
     * Returns the verdict that lets a write through unchanged.
     *
     * @return the verdict
     */
    static Verdict allow() {
        return Allow.INSTANCE;
    }

    /**
     * Returns a verdict that refuses a write.
     *
     * @param policy the policy's name
     * @param rule the rule that matched
     * @param reason what was refused and what to do instead, without the matched content
     * @return the verdict
     */
    static Block block(String policy, String rule, String reason) {
        return new Block(policy, rule, reason);
    }

    /**
     * Returns the marker that replaces a span a rule matched: {@code [REDACTED:<rule>]}.
     *
     * @param rule the rule's id
     * @return the marker
     */
    static String marker(String rule) {
        return "[REDACTED:" + rule + "]";
    }

    /**
     * Replaces the spans of the findings in a content with markers. Overlapping or adjacent findings are replaced by
     * one marker, named after the rule of the earliest (and, at equal starts, the longest) of them.
     *
     * @param content the content the findings were made on
     * @param findings the findings, in any order; their spans must lie within the content
     * @return the redacted content
     */
    static String applyRedactions(String content, List<Finding> findings) {
        List<Finding> sorted = sorted(findings);
        for (Finding f : sorted) {
            if (f.end() > content.length()) {
                throw new IllegalArgumentException("finding " + f + " lies beyond the content's "
                        + content.length() + " characters");
            }
        }
        StringBuilder b = new StringBuilder(content.length());
        int copied = 0;
        int i = 0;
        while (i < sorted.size()) {
            Finding first = sorted.get(i);
            int end = first.end();
            int j = i + 1;
            while (j < sorted.size() && sorted.get(j).start() <= end) {
                end = Math.max(end, sorted.get(j).end());
                j++;
            }
            b.append(content, copied, first.start()).append(marker(first.rule()));
            copied = end;
            i = j;
        }
        return b.append(content, copied, content.length()).toString();
    }

    private static List<Finding> sorted(List<Finding> findings) {
        List<Finding> s = new ArrayList<>(findings);
        s.sort(Comparator.comparingInt(Finding::start).thenComparing(Comparator.comparingInt(Finding::end).reversed())
                .thenComparing(Finding::policy).thenComparing(Finding::rule));
        return List.copyOf(s);
    }

    /** Store the write as asked. */
    record Allow() implements Verdict {
        private static final Allow INSTANCE = new Allow();

        @Override
        public int severity() {
            return 0;
        }
    }

    /**
     * Store the write with the matched spans replaced by markers.
     *
     * @param findings the matched spans, sorted by start, not empty
     * @param content the content to store instead: the original with each span replaced by its marker
     */
    record Redact(List<Finding> findings, String content) implements Verdict {

        /** Checks that there is at least one finding and sorts them. */
        public Redact {
            if (findings.isEmpty()) {
                throw new IllegalArgumentException("a redaction needs at least one finding");
            }
            findings = sorted(findings);
            Objects.requireNonNull(content, "content");
        }

        /**
         * Redacts a content.
         *
         * @param original the content the findings were made on
         * @param findings the findings, not empty
         * @return the verdict, with the original's spans replaced by markers
         */
        public static Redact of(String original, List<Finding> findings) {
            return new Redact(findings, applyRedactions(original, findings));
        }

        /**
         * Returns the distinct rule ids that matched, in order of first match.
         *
         * @return for example {@code [aws-access-key-id, generic-secret-assignment]}
         */
        public List<String> rules() {
            return findings.stream().map(Finding::rule).distinct().toList();
        }

        @Override
        public int severity() {
            return 1;
        }

        @Override
        public String toString() {
            return "Redact[rules=" + rules() + ", findings=" + findings.size() + "]";
        }
    }

    /**
     * Store the write where only operators see it.
     *
     * @param policy the policy that asked for quarantine
     * @param rule the rule that matched
     * @param reason why, for the operator who reviews it
     * @param redactions spans that other policies asked to redact in the same write, possibly none
     * @param content the content to hold in quarantine: the write's content with those redactions applied (empty for
     *     a write without content)
     */
    record Quarantine(String policy, String rule, String reason, List<Finding> redactions, String content)
            implements Verdict {

        /** Checks that every field is present. */
        public Quarantine {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reason, "reason");
            redactions = sorted(redactions);
            Objects.requireNonNull(content, "content");
        }

        /**
         * Quarantines a write unchanged.
         *
         * @param policy the policy
         * @param rule the rule
         * @param reason why
         * @param request the write
         * @return the verdict
         */
        public static Quarantine of(String policy, String rule, String reason, WriteRequest request) {
            return new Quarantine(policy, rule, reason, List.of(), request.content().orElse(""));
        }

        @Override
        public int severity() {
            return 2;
        }

        @Override
        public String toString() {
            return "Quarantine[policy=" + policy + ", rule=" + rule + ", reason=" + reason + ", redactions="
                    + redactions.size() + "]";
        }
    }

    /**
     * Store nothing and fail the write.
     *
     * @param policy the policy that refused
     * @param rule the rule that matched
     * @param reason what was refused and what to do instead, without the matched content
     */
    record Block(String policy, String rule, String reason) implements Verdict {

        /** Checks that every field is present. */
        public Block {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * Returns the exception a write pipeline throws for this verdict.
         *
         * @return the exception, naming the policy and the rule
         */
        public WriteBlockedException toException() {
            return new WriteBlockedException(policy, rule, reason);
        }

        @Override
        public int severity() {
            return 3;
        }
    }
}
