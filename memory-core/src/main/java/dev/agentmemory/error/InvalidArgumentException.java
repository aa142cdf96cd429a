package dev.agentmemory.error;

/** An argument breaks a rule: a malformed path, a name with control characters, a bad cursor, an unknown id format. */
public class InvalidArgumentException extends MemoryException {

    /** What the broken rule is about, for a surface that reports bad paths apart from other bad input. */
    public enum Subject {
        /** A memory's path ({@code path.*} rules). */
        PATH,
        /** A directory prefix ({@code prefix.*} rules). */
        PREFIX,
        /** A memory's content ({@code content.*} rules). */
        CONTENT,
        /** A {@code content_sha256} precondition ({@code precondition.*} rules). */
        PRECONDITION,
        /** Anything else: an id, a cursor, a page size, a store's settings, an import, the request's shape. */
        REQUEST
    }

    private final String rule;
    private final Subject subject;

    /**
     * Creates the exception.
     *
     * @param rule a short stable name of the rule that was broken, for example {@code path.segment}; its first
     *     segment names the {@link Subject} ({@code path}, {@code prefix}, {@code content}, {@code precondition};
     *     anything else is {@link Subject#REQUEST})
     * @param message which value broke which rule, and what would be valid
     */
    public InvalidArgumentException(String rule, String message) {
        super(Kind.INVALID_ARGUMENT, message, null);
        this.rule = java.util.Objects.requireNonNull(rule, "rule");
        this.subject = subjectOf(rule);
    }

    private static Subject subjectOf(String rule) {
        int dot = rule.indexOf('.');
        return switch (dot < 0 ? rule : rule.substring(0, dot)) {
            case "path" -> Subject.PATH;
            case "prefix" -> Subject.PREFIX;
            case "content" -> Subject.CONTENT;
            case "precondition" -> Subject.PRECONDITION;
            default -> Subject.REQUEST;
        };
    }

    /**
     * Returns the rule that was broken.
     *
     * @return a short stable name such as {@code path.segment} or {@code content.utf8}
     */
    public String rule() {
        return rule;
    }

    /**
     * Returns what the broken rule is about.
     *
     * @return the subject
     */
    public Subject subject() {
        return subject;
    }
}
