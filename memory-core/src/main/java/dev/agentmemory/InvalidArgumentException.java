package dev.agentmemory;

/** An argument breaks a rule: a malformed path, a name with control characters, a bad cursor, an unknown id format. */
public class InvalidArgumentException extends MemoryException {

    private final String rule;

    /**
     * Creates the exception.
     *
     * @param rule a short stable name of the rule that was broken, for example {@code path.segment}
     * @param message which value broke which rule, and what would be valid
     */
    public InvalidArgumentException(String rule, String message) {
        super("invalid_request_error", message, null);
        this.rule = rule;
    }

    /**
     * Returns the rule that was broken.
     *
     * @return a short stable name such as {@code path.segment} or {@code content.utf8}
     */
    public String rule() {
        return rule;
    }
}
