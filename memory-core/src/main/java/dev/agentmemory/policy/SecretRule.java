package dev.agentmemory.policy;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * One rule of a {@link SecretScanner}: a credential format, as read from a rules file. An immutable value.
 *
 * <p>The pattern runs only in a window around an occurrence of one of the keywords (from {@code before} characters
 * before the keyword to {@code after} characters after it), so a rule costs nothing on content that lacks its
 * keywords. A match is a finding unless its secret group is shorter than entropy demands or is a placeholder.
 *
 * @param id a short lowercase id, for example {@code aws-access-key-id}; named in findings and redaction markers
 * @param description what the rule finds
 * @param source the public rule or vendor documentation the rule follows
 * @param keywords lowercase ASCII literals, not empty; one must occur (ignoring ASCII case) for the pattern to run
 * @param pattern the regular expression
 * @param group the capturing group that is the secret (0 for the whole match)
 * @param minEntropy the Shannon entropy, in bits per character, the secret must reach, when the rule demands one
 * @param allow case-insensitive substrings that mark a secret as a placeholder
 * @param allowExact case-insensitive whole values that are placeholders
 * @param before how many characters before a keyword the window starts
 * @param after how many characters after a keyword the window ends
 */
public record SecretRule(
        String id,
        String description,
        String source,
        List<String> keywords,
        Pattern pattern,
        int group,
        OptionalDouble minEntropy,
        List<String> allow,
        List<String> allowExact,
        int before,
        int after) {

    /** Checks the fields and copies the lists. */
    public SecretRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(source, "source");
        keywords = List.copyOf(keywords);
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(minEntropy, "minEntropy");
        allow = List.copyOf(allow);
        allowExact = List.copyOf(allowExact);
        if (id.isBlank() || source.isBlank()) {
            throw new IllegalArgumentException("a secret rule needs an id and a source");
        }
        if (keywords.isEmpty()) {
            throw new IllegalArgumentException("secret rule " + id + " needs at least one keyword");
        }
        if (group < 0 || group > pattern.matcher("").groupCount()) {
            throw new IllegalArgumentException("secret rule " + id + " names group " + group + " but its pattern has "
                    + pattern.matcher("").groupCount());
        }
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("secret rule " + id + " has a negative window");
        }
    }
}
