package dev.agentmemory.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The hash check every seal and chain head runs: exactly 64 lowercase hex digits, nothing else. */
class ChainHeadTest {

    private static final String VALID = "0123456789abcdef".repeat(4);

    @Test
    void everyCharacterAtEveryBlockEdgeIsAcceptedExactlyWhenItIsALowercaseHexDigit() {
        java.util.List<String> wrong = new java.util.ArrayList<>();
        for (int at : new int[] {0, 15, 16, 31, 47, 48, 63}) {
            for (int c = 0; c <= 0xFFFF; c++) {
                String hash = VALID.substring(0, at) + (char) c + VALID.substring(at + 1);
                boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                boolean accepted;
                try {
                    accepted = ChainHead.checkHash("h", hash) == hash;
                } catch (IllegalArgumentException e) {
                    accepted = false;
                    if (!e.getMessage().startsWith("h must be 64 lowercase hex digits")) {
                        wrong.add(e.getMessage());
                    }
                }
                if (accepted != hex) {
                    wrong.add(String.format("U+%04X at %d", c, at));
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void anyOtherLengthIsRefused() {
        for (String bad : new String[] {"", VALID.substring(1), VALID + "0", VALID.repeat(2)}) {
            assertThatThrownBy(() -> ChainHead.checkHash("h", bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ChainHead.checkHash("h", null)).isInstanceOf(NullPointerException.class);
        assertThat(new ChainHead(0, ChainHead.GENESIS_HASH).hash()).isEqualTo("0".repeat(64));
    }
}
