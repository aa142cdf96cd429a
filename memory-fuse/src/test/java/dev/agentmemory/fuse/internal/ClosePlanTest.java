package dev.agentmemory.fuse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.fuse.internal.ClosePlan.AtFlush;
import dev.agentmemory.fuse.internal.ClosePlan.AtRelease;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The close rules as a table: every combination of an open file's state, and what flush and release do. */
class ClosePlanTest {

    @ParameterizedTest(name = "dirty={0} detached={1} written={2} exclusiveNew={3} -> {4}")
    @CsvSource({
        // nothing to write
        "false, false, false, false, NOTHING",
        "false, false, true,  false, NOTHING",
        "false, false, true,  true,  NOTHING",
        "false, true,  true,  false, NOTHING",
        "true,  true,  true,  false, NOTHING",
        "true,  true,  false, true,  NOTHING",
        // written later, checked now: created or truncated at open with no write yet, or a mkstemp file
        "true,  false, false, false, CHECK",
        "true,  false, false, true,  CHECK",
        "true,  false, true,  true,  CHECK",
        // written now
        "true,  false, true,  false, COMMIT",
    })
    void flush(boolean dirty, boolean detached, boolean written, boolean exclusiveNew, AtFlush expected) {
        assertThat(ClosePlan.atFlush(dirty, detached, written, exclusiveNew)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "dirty={0} detached={1} exclusiveNew={2} -> {3}")
    @CsvSource({
        "false, false, false, NOTHING",
        "false, false, true,  NOTHING",
        "true,  true,  false, NOTHING",
        "true,  true,  true,  NOTHING",
        "true,  false, false, LAND_NOW",
        "true,  false, true,  LAND_LATER",
    })
    void release(boolean dirty, boolean detached, boolean exclusiveNew, AtRelease expected) {
        assertThat(ClosePlan.atRelease(dirty, detached, exclusiveNew)).isEqualTo(expected);
    }
}
