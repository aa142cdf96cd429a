package dev.agentmemory.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretScannerTest {

    private static final SecretScanner SCANNER = SecretScanner.defaults();

    private static String rnd(String alphabet, int n, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String B64 = ALNUM + "+/";

    /** Text, the rule expected first (empty: no finding), and the exact secret expected to be redacted. */
    static Stream<Arguments> table() {
        String gh = "ghp_" + rnd(ALNUM, 36, 1);
        String aws = "AKIA" + rnd("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 2);
        String awsSecret = rnd(B64, 40, 3);
        String pw = rnd(ALNUM + "!*", 20, 4);
        String stripe = "sk_live_" + rnd(ALNUM, 24, 5);
        String ant = "sk-ant-api03-" + rnd(ALNUM + "_-", 93, 6) + "AA";
        String azure = rnd(B64, 86, 7) + "==";
        return Stream.of(
                Arguments.of("token: " + gh, "github-token", gh),
                Arguments.of("key " + aws + " for ci", "aws-access-key-id", aws),
                Arguments.of("aws_secret_access_key=" + awsSecret, "aws-secret-access-key", awsSecret),
                Arguments.of("DATABASE_URL=postgresql://svc:" + pw + "@db.internal:5432/x", "database-url-password", pw),
                Arguments.of("db_password: '" + pw + "'", "generic-secret-assignment", pw),
                Arguments.of("STRIPE=" + stripe, "stripe-key", stripe),
                Arguments.of("k=" + ant, "anthropic-api-key", ant),
                Arguments.of("AccountName=x;AccountKey=" + azure + ";EndpointSuffix=core.windows.net",
                        "azure-storage-account-key", azure),
                Arguments.of("AKIAIOSFODNN7EXAMPLE", "", ""),
                Arguments.of("password: ${DB_PASSWORD}", "", ""),
                Arguments.of("password = aaaaaaaaaaaa", "", ""),
                Arguments.of("postgres://app:password@localhost/app", "", ""),
                Arguments.of("Asia and Akiak are places; ghp_ is a prefix.", "", ""),
                Arguments.of("sha256 " + rnd("0123456789abcdef", 64, 8), "", ""),
                Arguments.of("", "", ""));
    }

    @ParameterizedTest
    @MethodSource("table")
    void findsAndRedactsExactlyTheSecret(String text, String rule, String secret) {
        List<Finding> findings = SCANNER.scan(text);
        if (rule.isEmpty()) {
            assertThat(findings).isEmpty();
            assertThat(SCANNER.evaluate(Requests.create(text))).isEqualTo(Verdict.allow());
            return;
        }
        assertThat(findings).isNotEmpty();
        assertThat(findings.get(0).rule()).isEqualTo(rule);
        Verdict v = SCANNER.evaluate(Requests.create(text));
        assertThat(v).isInstanceOf(Verdict.Redact.class);
        String redacted = ((Verdict.Redact) v).content();
        assertThat(redacted).isEqualTo(text.replace(secret, "[REDACTED:" + rule + "]"));
    }

    @Test
    void aPemPrivateKeyIsRedactedWholeAndACertificateIsLeftAlone() {
        String body = rnd(B64, 64, 9) + "\n" + rnd(B64, 64, 10);
        String key = "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----";
        assertThat(((Verdict.Redact) SCANNER.evaluate(Requests.create("before\n" + key + "\nafter"))).content())
                .isEqualTo("before\n[REDACTED:private-key-pem]\nafter");
        assertThat(SCANNER.scan("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----")).isEmpty();
    }

    @Test
    void theActionDecidesTheVerdictAndACredentialInThePathAlwaysBlocks() {
        String gh = "ghp_" + rnd(ALNUM, 36, 11);
        WriteRequest req = Requests.create("use " + gh);
        assertThat(SCANNER.withAction(SecretScanner.Action.BLOCK).evaluate(req)).isInstanceOfSatisfying(
                Verdict.Block.class, b -> {
                    assertThat(b.rule()).isEqualTo("github-token");
                    assertThat(b.reason()).doesNotContain(gh);
                });
        assertThat(SCANNER.withAction(SecretScanner.Action.QUARANTINE).evaluate(req)).isInstanceOfSatisfying(
                Verdict.Quarantine.class, q -> assertThat(q.content()).isEqualTo("use [REDACTED:github-token]"));
        WriteRequest inPath = WriteRequest.create(Requests.STORE, Map.of(), "/keys/" + gh + ".md", "x",
                Requests.SESSION);
        assertThat(SCANNER.evaluate(inPath)).isInstanceOf(Verdict.Block.class);
        assertThat(SCANNER.evaluate(WriteRequest.delete(Requests.STORE, Map.of(), "/a.md", Requests.SESSION)))
                .isEqualTo(Verdict.allow());
        assertThat(SCANNER.evaluate(WriteRequest.update(Requests.STORE, Map.of(), "/b.md", Optional.of("/a.md"),
                Optional.empty(), Requests.SESSION))).isEqualTo(Verdict.allow());
    }

    @Test
    void aValueWhoseEntropyRisesOnceAKeyInsideItIsRedactedIsRedactedToo() {
        // Whole value: low entropy (18 A's). Its prefix before the AWS key id: 13 distinct characters, 3.7 bits.
        String text = "api_key=Zq8Lm3Vt9Rw4-AKIAAAAAAAAAAAAAAAAA end";
        assertThat(SCANNER.scan(text)).extracting(Finding::rule)
                .containsExactly("generic-secret-assignment", "aws-access-key-id");
        String redacted = ((Verdict.Redact) SCANNER.evaluate(Requests.create(text))).content();
        assertThat(redacted).isEqualTo("api_key=[REDACTED:generic-secret-assignment] end");
        assertThat(SCANNER.scan(redacted)).isEmpty();
    }

    @Test
    void everyRuleCitesASourceAndHasKeywordsTheAutomatonCanUse() {
        assertThat(SCANNER.rules()).hasSizeGreaterThanOrEqualTo(19);
        for (SecretRule r : SCANNER.rules()) {
            assertThat(r.source()).as(r.id()).isNotBlank();
            assertThat(r.keywords()).as(r.id()).isNotEmpty().allSatisfy(k -> assertThat(k).isEqualTo(
                    k.toLowerCase(java.util.Locale.ROOT)));
        }
        assertThat(SCANNER.rules()).extracting(SecretRule::id).doesNotHaveDuplicates().contains("aws-access-key-id",
                "aws-secret-access-key", "gcp-service-account-private-key", "azure-storage-account-key",
                "github-token", "gitlab-token", "slack-token", "stripe-key", "anthropic-api-key", "openai-api-key",
                "jwt", "private-key-pem", "database-url-password", "generic-secret-assignment");
    }

    @Test
    void aMalformedRulesFileIsRefusedWithAClearError() {
        assertThatThrownBy(() -> SecretScanner.fromJson(stream("{\"rules\": 3}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'rules' array");
        assertThatThrownBy(() -> SecretScanner.fromJson(stream("{\"rules\": [{\"id\": \"x\"}]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'description'");
        assertThatThrownBy(() -> SecretScanner.fromJson(stream("{\"rules\": [{\"id\": \"x\", \"description\": \"d\","
                + " \"source\": \"s\", \"keywords\": [\"k\"], \"pattern\": \"k\", \"group\": 2}]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group 2");
        assertThatThrownBy(() -> SecretScanner.fromJson(stream("{\"rules\": [{\"id\": \"x\", \"description\": \"d\","
                + " \"source\": \"s\", \"keywords\": [\"k\"], \"pattern\": \"(\"}]}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCustomRulesFileIsHonoured() throws Exception {
        SecretScanner custom = SecretScanner.fromJson(stream("{\"rules\": [{\"id\": \"acme-key\", \"description\": "
                + "\"ACME internal key\", \"source\": \"ACME handbook\", \"keywords\": [\"acme_\"], "
                + "\"pattern\": \"\\\\b(acme_[0-9a-f]{16})\\\\b\", \"group\": 1}]}"));
        assertThat(custom.scan("key acme_0123456789abcdef here")).extracting(Finding::rule).containsExactly("acme-key");
        assertThat(custom.scan("ghp_" + rnd(ALNUM, 36, 12))).isEmpty();
    }

    @Test
    void entropyIsZeroForARunAndHighForRandomBase64() {
        assertThat(SecretScanner.shannonEntropy("")).isZero();
        assertThat(SecretScanner.shannonEntropy("aaaaaaaa")).isZero();
        assertThat(SecretScanner.shannonEntropy("abab")).isEqualTo(1.0);
        assertThat(SecretScanner.shannonEntropy(rnd(B64, 40, 13))).isGreaterThan(4.5);
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
