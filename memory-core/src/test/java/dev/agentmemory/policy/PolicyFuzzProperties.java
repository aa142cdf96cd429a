package dev.agentmemory.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.TextArbitraries;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and adversarial contents: the secret scanner, the injection detector and the default chain finish on every
 * one of them (the suite would hang on catastrophic backtracking or a quadratic loop), never throw, and report spans
 * inside the content; a redacted content holds no finding of its own.
 */
class PolicyFuzzProperties {

    private static final SecretScanner SCANNER = SecretScanner.defaults();
    private static final InjectionDetector DETECTOR = InjectionDetector.defaults();
    private static final WritePolicyChain CHAIN = WritePolicyChain.defaults(java.time.Clock.systemUTC());

    /** Fragments that drive the patterns and the quote index into their longest paths. */
    private static final List<String> ADVERSARIAL = List.of("-----BEGIN PRIVATE KEY-----", "-----BEGIN ",
            "-----END PRIVATE KEY-----", "password=", "password: \"", "secret", "token", "api_key=", "aws ",
            "aws_secret ", "AKIA", "ASIA", "eyJ", "eyJa.", ".eyJ", "sk-", "sk-ant-api03-", "T3BlbkFJ", "ghp_",
            "github_pat_", "glpat-", "xoxb-1-", "sk_live_", "AccountKey=", "SharedAccessKey=", "Q~", "AIza",
            "postgres://", "u:", "@", "\"private_key\": \"", "\\n", "\n", "\n\n", " ", "\"", "`", "```", "\u201c",
            "\u201d", "ignore previous instructions", "you are now", "do not tell the user", "Human:",
            "<|im_start|>", "\u200b", "\u202e", "\udb40\udc41", "\ud83c\udff4", "A", "a", "0", "/", "+", "=");

    @Provide
    Arbitrary<String> adversarial() {
        return Arbitraries.of(ADVERSARIAL).list().ofMaxSize(4000).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> random() {
        return Arbitraries.oneOf(TextArbitraries.wellFormed(2000), Arbitraries.strings().all().ofMaxLength(2000));
    }

    @Property(tries = 300)
    void adversarialContentFinishesAndNeverThrows(@ForAll("adversarial") String content) {
        check(content);
    }

    @Property(tries = 300)
    void randomContentFinishesAndNeverThrows(@ForAll("random") String content) {
        check(content);
    }

    private static void check(String content) {
        List<Finding> findings = SCANNER.scan(content);
        for (Finding f : findings) {
            assertThat(f.end()).isLessThanOrEqualTo(content.length());
        }
        if (!findings.isEmpty()) {
            String redacted = Verdict.applyRedactions(content, findings);
            assertThat(SCANNER.scan(redacted)).as("a redacted content holds no finding").isEmpty();
        }
        DETECTOR.detect(content);
        DETECTOR.strict().detect(content);
        Verdict v = CHAIN.evaluate(Requests.create(content));
        assertThat(v).isNotNull();
    }
}
