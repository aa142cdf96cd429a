package dev.agentmemory.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.policy.PolicyCorpus.Kind;
import dev.agentmemory.policy.PolicyCorpus.Sample;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Detection and false-positive rates of the secret scanner and the injection detector on the generated corpus, with
 * floors. The figures for seed 20261203 are the ones docs/security.md records; two more seeds check that the floors
 * do not depend on one draw.
 *
 * <p>A secret counts as detected only if the scanner's redaction removes every character of it. Floors: the formats
 * the scanner claims are generated exactly as their vendors issue them, so anything under 99% detection is a broken
 * rule; near misses are built to resemble secrets, so a few percent of false positives there is a rule worth
 * tightening, not noise. Weak secrets and paraphrased injections are reported, not floored: no pattern list can be
 * expected to see them, and the docs say so.
 */
class PolicyCorpusTest {

    static final long DOCUMENTED_SEED = 20261203L;
    static final int PER_KIND = 300;

    private static final Set<Kind> SECRET_NEGATIVES = EnumSet.of(Kind.CLEAN, Kind.SECRET_NEAR_MISS, Kind.INJECTION,
            Kind.INJECTION_PARAPHRASE, Kind.INJECTION_NEAR_MISS);
    private static final Set<Kind> INJECTION_NEGATIVES = EnumSet.of(Kind.CLEAN, Kind.INJECTION_NEAR_MISS, Kind.SECRET,
            Kind.WEAK_SECRET, Kind.SECRET_NEAR_MISS);

    record Rate(int hits, int total) {
        double value() {
            return total == 0 ? 0 : (double) hits / total;
        }

        @Override
        public String toString() {
            return String.format("%d/%d = %.1f%%", hits, total, 100.0 * value());
        }
    }

    private static Rate rate(List<Sample> samples, Set<Kind> kinds, java.util.function.Predicate<Sample> hit) {
        int hits = 0;
        int total = 0;
        for (Sample s : samples) {
            if (kinds.contains(s.kind())) {
                total++;
                if (hit.test(s)) {
                    hits++;
                }
            }
        }
        return new Rate(hits, total);
    }

    static boolean secretRemoved(SecretScanner scanner, Sample s) {
        List<Finding> findings = scanner.scan(s.text());
        if (findings.isEmpty()) {
            return false;
        }
        String redacted = Verdict.applyRedactions(s.text(), findings);
        return !redacted.contains(s.planted().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(longs = {DOCUMENTED_SEED, 1L, 42L})
    void theDetectorsMeetTheirFloorsOnTheGeneratedCorpus(long seed) {
        List<Sample> corpus = new PolicyCorpus(seed).generate(PER_KIND);
        SecretScanner secrets = SecretScanner.defaults();
        InjectionDetector injections = InjectionDetector.defaults();

        Rate secretDetection = rate(corpus, EnumSet.of(Kind.SECRET), s -> secretRemoved(secrets, s));
        Rate weakSecretDetection = rate(corpus, EnumSet.of(Kind.WEAK_SECRET), s -> secretRemoved(secrets, s));
        Rate secretFalsePositives = rate(corpus, SECRET_NEGATIVES, s -> !secrets.scan(s.text()).isEmpty());
        Rate secretNearMissFalsePositives =
                rate(corpus, EnumSet.of(Kind.SECRET_NEAR_MISS), s -> !secrets.scan(s.text()).isEmpty());
        Rate injectionDetection = rate(corpus, EnumSet.of(Kind.INJECTION), s -> !injections.detect(s.text()).isEmpty());
        Rate paraphraseDetection =
                rate(corpus, EnumSet.of(Kind.INJECTION_PARAPHRASE), s -> !injections.detect(s.text()).isEmpty());
        Rate injectionFalsePositives = rate(corpus, INJECTION_NEGATIVES, s -> !injections.detect(s.text()).isEmpty());
        Rate injectionNearMissFalsePositives =
                rate(corpus, EnumSet.of(Kind.INJECTION_NEAR_MISS), s -> !injections.detect(s.text()).isEmpty());

        System.out.printf("corpus seed %d, %d samples%n", seed, corpus.size());
        System.out.println("| detector | measure | rate |");
        System.out.println("|---|---|---|");
        System.out.println("| secret scanner | detection, claimed formats (redaction removes the whole secret) | "
                + secretDetection + " |");
        System.out.println("| secret scanner | detection, weak secrets (not floored) | " + weakSecretDetection + " |");
        System.out.println("| secret scanner | false positives, all samples without a secret | " + secretFalsePositives
                + " |");
        System.out.println("| secret scanner | false positives, near misses only | " + secretNearMissFalsePositives
                + " |");
        System.out.println("| injection detector | detection, claimed forms | " + injectionDetection + " |");
        System.out.println("| injection detector | detection, paraphrases (not floored) | " + paraphraseDetection
                + " |");
        System.out.println("| injection detector | false positives, all samples without an injection | "
                + injectionFalsePositives + " |");
        System.out.println("| injection detector | false positives, near misses only | "
                + injectionNearMissFalsePositives + " |");
        printBreakdown(corpus, secrets, injections);

        assertThat(secretDetection.value()).as("secret detection " + secretDetection).isGreaterThanOrEqualTo(0.99);
        assertThat(secretFalsePositives.value()).as("secret false positives " + secretFalsePositives)
                .isLessThanOrEqualTo(0.01);
        assertThat(secretNearMissFalsePositives.value()).as("secret near-miss false positives "
                + secretNearMissFalsePositives).isLessThanOrEqualTo(0.03);
        assertThat(injectionDetection.value()).as("injection detection " + injectionDetection)
                .isGreaterThanOrEqualTo(0.98);
        assertThat(injectionFalsePositives.value()).as("injection false positives " + injectionFalsePositives)
                .isLessThanOrEqualTo(0.01);
        // The near misses include a benign note with two weight-1 phrases in one paragraph, which the documented
        // pairing rule flags (about 1 in 35 near misses); the floor leaves room for it and little else.
        assertThat(injectionNearMissFalsePositives.value()).as("injection near-miss false positives "
                + injectionNearMissFalsePositives).isLessThanOrEqualTo(0.05);
        // Sanity of the corpus itself: every kind is present in numbers that make a rate meaningful.
        for (Kind k : Kind.values()) {
            assertThat(corpus.stream().filter(s -> s.kind() == k).count()).as(k.name()).isEqualTo(PER_KIND);
        }
    }

    private static void printBreakdown(List<Sample> corpus, SecretScanner secrets, InjectionDetector injections) {
        Map<String, int[]> byLabel = new TreeMap<>();
        for (Sample s : corpus) {
            boolean flagged = switch (s.kind()) {
                case SECRET, WEAK_SECRET -> secretRemoved(secrets, s);
                case SECRET_NEAR_MISS -> !secrets.scan(s.text()).isEmpty();
                case INJECTION, INJECTION_PARAPHRASE, INJECTION_NEAR_MISS -> !injections.detect(s.text()).isEmpty();
                case CLEAN -> !secrets.scan(s.text()).isEmpty() || !injections.detect(s.text()).isEmpty();
            };
            int[] c = byLabel.computeIfAbsent(s.kind() + " " + s.label(), x -> new int[2]);
            c[1]++;
            if (flagged) {
                c[0]++;
            }
        }
        byLabel.forEach((label, c) -> System.out.println("  " + label + ": flagged " + c[0] + "/" + c[1]));
    }
}
