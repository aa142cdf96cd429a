package dev.agentmemory.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The access log's line: the documented key=value pairs, and the time in milliseconds with two decimals. */
class AccessLineTest {

    @Test
    void namesEveryFieldInTheDocumentedOrder() {
        assertThat(HttpFront.accessLine("req_1f", "POST", "/v1/memory_stores/memstore_a/memories/mem_b",
                "POST /v1/memory_stores/{id}/memories/{id}", 200, "apikey_k", 431, 1_234_567))
                .isEqualTo("request_id=req_1f method=POST path=/v1/memory_stores/memstore_a/memories/mem_b"
                        + " route=\"POST /v1/memory_stores/{id}/memories/{id}\" status=200 key=apikey_k bytes_out=431"
                        + " ms=1.23");
    }

    @Test
    void writesMillisecondsAsTheFormatStringDid() {
        // As String.format("%.2f", ms) in an English locale, which the line was written with before.
        long[] nanos = {0, 4_999, 5_000, 70_000, 999_999, 1_005_001, 12_345_678_901L, 100_000_000};
        for (long n : nanos) {
            assertThat(HttpFront.accessLine("r", "GET", "/healthz", "GET /healthz", 200, "-", 15, n))
                    .endsWith(" ms=" + String.format(Locale.ROOT, "%.2f", n / 1e6));
        }
    }

    @Test
    void usesADotWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertThat(HttpFront.accessLine("r", "GET", "/healthz", "GET /healthz", 200, "-", 15, 2_500_000))
                    .endsWith(" ms=2.50");
        } finally {
            Locale.setDefault(before);
        }
    }
}
