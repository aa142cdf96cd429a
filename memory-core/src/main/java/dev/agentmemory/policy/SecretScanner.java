package dev.agentmemory.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.policy.internal.KeywordAutomaton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials in a write's content: cloud keys, service tokens, private keys, passwords in connection strings
 * and high-entropy values assigned to secret-looking names. By default it redacts each one (the span becomes
 * {@code [REDACTED:<rule>]}); it can block or quarantine instead. A credential in the path blocks the write, since a
 * path cannot be redacted.
 *
 * <p>The rules are data: {@link #defaults()} reads {@code dev/agentmemory/policy/secret-rules.json} from the
 * library, each rule citing the public rule set or vendor documentation it follows; {@link #fromJson} reads a file of
 * the same shape. Scanning is one pass over the content with a keyword automaton; a rule's pattern then runs only in
 * short windows around its keywords, and no pattern nests unbounded repetition, so the time is linear in the content
 * for every input. Immutable and thread-safe.
 */
public final class SecretScanner implements WritePolicy {

    /** What the scanner does with a write that holds a credential. */
    public enum Action {
        /** Replace each credential with a marker and store the rest. */
        REDACT,
        /** Store the write, credentials redacted, where only operators see it. */
        QUARANTINE,
        /** Refuse the write. */
        BLOCK
    }

    /** The name this policy reports. */
    public static final String NAME = "secret-scanner";

    private static final String DEFAULT_RULES = "/dev/agentmemory/policy/secret-rules.json";
    private static final int DEFAULT_BEFORE = 16;
    private static final int DEFAULT_AFTER = 300;
    private static volatile SecretScanner defaults;

    private final List<SecretRule> rules;
    private final List<String> globalAllow;
    private final KeywordAutomaton automaton;
    private final int[][] rulesOfKeyword;
    private final Action action;
    // Whether these are the library's rules, whose keyword pass is shared with the injection detector's (DefaultScan).
    private final boolean libraryRules;

    private SecretScanner(List<SecretRule> rules, List<String> globalAllow, Action action) {
        this.rules = List.copyOf(rules);
        this.globalAllow = globalAllow.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        this.action = Objects.requireNonNull(action, "action");
        this.libraryRules = false;
        List<String> keywords = new ArrayList<>();
        Map<String, List<Integer>> byKeyword = new HashMap<>();
        for (int r = 0; r < rules.size(); r++) {
            for (String k : rules.get(r).keywords()) {
                String key = k.toLowerCase(Locale.ROOT);
                if (!byKeyword.containsKey(key)) {
                    keywords.add(key);
                    byKeyword.put(key, new ArrayList<>());
                }
                byKeyword.get(key).add(r);
            }
        }
        automaton = new KeywordAutomaton(keywords, false);
        rulesOfKeyword = new int[keywords.size()][];
        for (int k = 0; k < keywords.size(); k++) {
            rulesOfKeyword[k] = byKeyword.get(keywords.get(k)).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** The same rules, compiled automaton and all, acting differently. */
    private SecretScanner(SecretScanner same, Action action, boolean libraryRules) {
        this.rules = same.rules;
        this.globalAllow = same.globalAllow;
        this.automaton = same.automaton;
        this.rulesOfKeyword = same.rulesOfKeyword;
        this.action = Objects.requireNonNull(action, "action");
        this.libraryRules = libraryRules;
    }

    /** The keyword automaton, shared with {@link DefaultScan} for the library's rules. */
    KeywordAutomaton automaton() {
        return automaton;
    }

    /**
     * Returns the scanner with the library's rules, redacting.
     *
     * @return the scanner
     */
    public static SecretScanner defaults() {
        SecretScanner d = defaults;
        if (d == null) {
            try (InputStream in = SecretScanner.class.getResourceAsStream(DEFAULT_RULES)) {
                if (in == null) {
                    throw new IllegalStateException("the library's secret rules are missing: " + DEFAULT_RULES);
                }
                SecretScanner parsed = fromJson(in);
                d = new SecretScanner(parsed, parsed.action, true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the library's secret rules", e);
            }
            defaults = d;
        }
        return d;
    }

    /**
     * Reads a rules file: a JSON object with {@code rules} (an array of objects with {@code id},
     * {@code description}, {@code source}, {@code keywords}, {@code pattern} and optionally {@code group},
     * {@code minEntropy}, {@code allow}, {@code allowExact}, {@code before} and {@code after}) and optionally
     * {@code globalAllow}. The scanner redacts.
     *
     * @param json the file's bytes; not closed
     * @return the scanner
     * @throws IOException if the stream cannot be read
     * @throws IllegalArgumentException if the file is not of that shape or a pattern does not compile
     */
    public static SecretScanner fromJson(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        if (root == null || !root.path("rules").isArray()) {
            throw new IllegalArgumentException("a secret rules file is a JSON object with a 'rules' array");
        }
        List<SecretRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode r : root.get("rules")) {
            String id = text(r, "id");
            if (!ids.add(id)) {
                throw new IllegalArgumentException("secret rule id '" + id + "' appears twice");
            }
            rules.add(new SecretRule(id, text(r, "description"), text(r, "source"), strings(r, "keywords"),
                    Pattern.compile(text(r, "pattern")), r.path("group").asInt(0),
                    r.has("minEntropy") ? OptionalDouble.of(r.get("minEntropy").asDouble()) : OptionalDouble.empty(),
                    strings(r, "allow"), strings(r, "allowExact"), r.path("before").asInt(DEFAULT_BEFORE),
                    r.path("after").asInt(DEFAULT_AFTER)));
        }
        return new SecretScanner(rules, strings(root, "globalAllow"), Action.REDACT);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("a secret rule needs the text field '" + field + "': " + n);
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : n.path(field)) {
            out.add(v.asText());
        }
        return out;
    }

    /**
     * Returns a scanner with the same rules that acts differently.
     *
     * @param newAction what to do with a write that holds a credential
     * @return the scanner
     */
    public SecretScanner withAction(Action newAction) {
        return new SecretScanner(this, newAction, libraryRules);
    }

    /**
     * Returns the rules, in file order.
     *
     * @return the rules
     */
    public List<SecretRule> rules() {
        return rules;
    }

    /**
     * Returns what the scanner does with a write that holds a credential.
     *
     * @return the action
     */
    public Action action() {
        return action;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict evaluate(WriteRequest request) {
        List<Finding> inPath = scan(request.path());
        if (!inPath.isEmpty()) {
            return Verdict.block(NAME, inPath.get(0).rule(), "the path holds a credential (rule "
                    + inPath.get(0).rule() + "); choose a path without it");
        }
        if (request.content().isEmpty()) {
            return Verdict.allow();
        }
        String content = request.content().get();
        List<Finding> findings = scan(content);
        if (findings.isEmpty()) {
            return Verdict.allow();
        }
        Finding first = findings.get(0);
        String reason = "the content holds " + findings.size() + " credential(s), the first matching rule "
                + first.rule() + " at characters " + first.start() + "-" + first.end()
                + "; store a reference to where the secret is kept instead of the secret";
        switch (action) {
            case BLOCK:
                return Verdict.block(NAME, first.rule(), reason);
            case QUARANTINE:
                return new Verdict.Quarantine(NAME, first.rule(), reason, findings,
                        Verdict.applyRedactions(content, findings));
            default:
                return Verdict.Redact.of(content, findings);
        }
    }

    /**
     * Finds the credentials in a text.
     *
     * @param text any text
     * @return the findings, sorted by start (then longest first, then rule order); a span that several rules match is
     *     reported once, under the rule that comes first in the rules file; empty if none
     */
    public List<Finding> scan(String text) {
        List<Finding> findings = scanOnce(text);
        // A redaction can shorten a value that a rule rejected as too low in entropy (a long repetitive value with a
        // key at its end) into one it accepts. Rescan the redacted text, and map what it finds back onto the
        // original, until the redacted text holds no finding (a few rounds at most, and only when there are findings).
        for (int round = 0; round < 4 && !findings.isEmpty(); round++) {
            List<Finding> merged = mergedSpans(findings);
            String redacted = Verdict.applyRedactions(text, merged);
            List<Finding> more = scanOnce(redacted);
            if (more.isEmpty()) {
                break;
            }
            List<Finding> all = new ArrayList<>(findings);
            for (Finding f : more) {
                all.add(new Finding(NAME, f.rule(), toOriginal(merged, text, f.start(), true),
                        toOriginal(merged, text, f.end(), false)));
            }
            findings = sortedDistinct(all);
        }
        return findings;
    }

    /** The findings' spans merged as {@link Verdict#applyRedactions} merges them, each under its first rule. */
    private static List<Finding> mergedSpans(List<Finding> sorted) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : sorted) {
            Finding last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && f.start() <= last.end()) {
                out.set(out.size() - 1, new Finding(NAME, last.rule(), last.start(), Math.max(last.end(), f.end())));
            } else {
                out.add(f);
            }
        }
        return out;
    }

    /** Maps an index in the redacted text back to the original; an index inside a marker maps to its span's edge. */
    private static int toOriginal(List<Finding> merged, String original, int redactedIndex, boolean isStart) {
        int shift = 0; // original index minus redacted index, so far
        for (Finding m : merged) {
            int markerStart = m.start() - shift;
            int markerEnd = markerStart + Verdict.marker(m.rule()).length();
            if (redactedIndex < markerStart || (redactedIndex == markerStart && !isStart)) {
                break;
            }
            if (redactedIndex < markerEnd || (redactedIndex == markerEnd && !isStart)) {
                return isStart ? m.start() : m.end();
            }
            shift += (m.end() - m.start()) - (markerEnd - markerStart);
        }
        return Math.min(original.length(), redactedIndex + shift);
    }

    private List<Finding> scanOnce(String text) {
        boolean anyKeyword = libraryRules ? (DefaultScan.bits(text) & DefaultScan.SECRET_KEYWORD) != 0
                : automaton.matchesAny(text);
        if (!anyKeyword) {
            return List.of(); // the common case: no keyword, nothing allocated
        }
        int len = text.length();
        // Per rule, the windows to search, merged as they come (hits arrive in order of end position).
        int[][] windows = new int[rules.size()][];
        int[] counts = new int[rules.size()];
        automaton.scan(text, (k, end) -> {
            int kwStart = end - automaton.keyword(k).length();
            for (int r : rulesOfKeyword[k]) {
                SecretRule rule = rules.get(r);
                int from = Math.max(0, kwStart - rule.before());
                int to = (int) Math.min(len, (long) end + rule.after());
                int[] w = windows[r];
                int n = counts[r];
                if (n > 0 && from <= w[2 * n - 1]) {
                    w[2 * n - 1] = Math.max(w[2 * n - 1], to);
                    w[2 * n - 2] = Math.min(w[2 * n - 2], from);
                } else {
                    if (w == null) {
                        w = windows[r] = new int[8];
                    } else if (w.length < 2 * n + 2) {
                        w = windows[r] = Arrays.copyOf(w, w.length * 2);
                    }
                    w[2 * n] = from;
                    w[2 * n + 1] = to;
                    counts[r] = n + 1;
                }
            }
        });
        List<Finding> findings = null;
        for (int r = 0; r < rules.size(); r++) {
            if (counts[r] == 0) {
                continue;
            }
            SecretRule rule = rules.get(r);
            Matcher m = rule.pattern().matcher(text);
            m.useTransparentBounds(true).useAnchoringBounds(false);
            int[] w = windows[r];
            int searchedTo = 0;
            for (int i = 0; i < counts[r]; i++) {
                int from = Math.max(w[2 * i], searchedTo);
                if (from >= w[2 * i + 1]) {
                    continue;
                }
                m.region(from, w[2 * i + 1]);
                while (m.find()) {
                    int s = m.start(rule.group());
                    int e = m.end(rule.group());
                    if (s >= 0 && e > s && accepts(rule, text, s, e)) {
                        if (findings == null) {
                            findings = new ArrayList<>();
                        }
                        findings.add(new Finding(NAME, rule.id(), s, e));
                    }
                    searchedTo = Math.max(searchedTo, m.end());
                }
            }
        }
        if (findings == null) {
            return List.of();
        }
        return sortedDistinct(findings);
    }

    private List<Finding> sortedDistinct(List<Finding> found) {
        List<Finding> findings = new ArrayList<>(found);
        findings.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start())
                : a.end() != b.end() ? Integer.compare(b.end(), a.end())
                : Integer.compare(ruleIndex(a.rule()), ruleIndex(b.rule())));
        // The same span found by several rules is reported once, under the rule listed first in the file (the
        // specific formats come before the generic assignment rule).
        List<Finding> distinct = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Finding last = distinct.isEmpty() ? null : distinct.get(distinct.size() - 1);
            if (last == null || last.start() != f.start() || last.end() != f.end()) {
                distinct.add(f);
            }
        }
        return List.copyOf(distinct);
    }

    private int ruleIndex(String id) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).id().equals(id)) {
                return i;
            }
        }
        return rules.size();
    }

    private boolean accepts(SecretRule rule, String text, int start, int end) {
        String secret = text.substring(start, end);
        String lower = secret.toLowerCase(Locale.ROOT);
        for (String a : globalAllow) {
            if (lower.contains(a)) {
                return false;
            }
        }
        for (String a : rule.allow()) {
            if (lower.contains(a.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        for (String a : rule.allowExact()) {
            if (lower.equals(a.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return rule.minEntropy().isEmpty() || shannonEntropy(secret) >= rule.minEntropy().getAsDouble();
    }

    /**
     * Returns the Shannon entropy of a text's characters: the bits per character of the text's own character
     * distribution. A run of one letter has 0; 40 random base64 characters have about 5.
     *
     * @param s a text
     * @return the entropy in bits per character, 0 for the empty text
     */
    public static double shannonEntropy(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        Map<Character, int[]> other = null;
        int[] ascii = new int[128];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                ascii[c]++;
            } else {
                if (other == null) {
                    other = new HashMap<>();
                }
                other.computeIfAbsent(c, x -> new int[1])[0]++;
            }
        }
        double n = s.length();
        double h = 0;
        for (int count : ascii) {
            if (count > 0) {
                double p = count / n;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        if (other != null) {
            for (int[] count : other.values()) {
                double p = count[0] / n;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "SecretScanner[" + rules.size() + " rules, " + action + "]";
    }
}
