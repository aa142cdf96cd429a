package dev.agentmemory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.TextArbitraries;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorsTest {

    private static final String FP = "memories|memstore_1|/notes/|0|true";

    private static String rule(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(InvalidArgumentException.class);
        return ((InvalidArgumentException) t).rule();
    }

    @Property(tries = 500)
    void roundTrip(@ForAll("text") String fingerprint, @ForAll("text") String key) {
        String cursor = Cursors.encode(fingerprint, key);
        assertThat(cursor).startsWith("page_").matches("page_[A-Za-z0-9_-]*");
        assertThat(Cursors.decode(fingerprint, cursor)).isEqualTo(key);
    }

    @Test
    void keysWithNewlinesSurvive() {
        String key = "/a\nb\n";
        assertThat(Cursors.decode(FP, Cursors.encode(FP, key))).isEqualTo(key);
    }

    @Property(tries = 300)
    void cursorOfAnotherQueryIsRefused(@ForAll("text") String fp1, @ForAll("text") String fp2,
            @ForAll("text") String key) {
        Assume.that(!fp1.equals(fp2));
        String cursor = Cursors.encode(fp1, key);
        assertThat(rule(() -> Cursors.decode(fp2, cursor))).isEqualTo("cursor.mismatch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "page", "page_!!!", "page_a", "page_%2F", "PAGE_YWJj", "mem_abc",
        "page_ab=c", "page_\u00e9"})
    void garbageIsMalformed(String cursor) {
        assertThat(rule(() -> Cursors.decode(FP, cursor))).isEqualTo("cursor.malformed");
    }

    @Test
    void wellEncodedGarbageIsMalformedToo() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        for (String payload : new String[] {"", "no newline at all", "\n/key", "0123\n/key", "zzzzzzzzzzzzzzzz\n/k"}) {
            String cursor = "page_" + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            assertThat(rule(() -> Cursors.decode(FP, cursor))).as(payload).isEqualTo("cursor.malformed");
        }
        String randomBytes = "page_" + b64.encodeToString(new byte[] {(byte) 0xFF, 0x00, (byte) 0x80, 0x7F});
        assertThat(rule(() -> Cursors.decode(FP, randomBytes))).isEqualTo("cursor.malformed");
    }

    @Provide
    Arbitrary<String> text() {
        return TextArbitraries.wellFormed(15);
    }
}
