package dev.agentmemory.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The page counter attributes each write's WAL frames to the b-trees that write must touch. */
class WalFramesMainTest {

    @Test
    void everyCommitIsCountedAndItsPagesLandInTheTreesItWrites() throws Exception {
        JdbcWriteBenchmark b = new JdbcWriteBenchmark();
        b.dialect = "sqlite";
        b.open();
        try {
            WalFramesMain.Frames floor = WalFramesMain.count(b, b::floor, 20, 40);
            assertThat(floor.commits()).isEqualTo(40);
            assertThat(floor.pageSize()).isEqualTo(4096);
            // the head row is rewritten once per commit; the version lands in its table's rightmost leaf
            assertThat(floor.perCommit("floor_head (leaf)")).isCloseTo(1.0, within(1e-9));
            assertThat(floor.perCommit("floor_version (leaf)")).isCloseTo(1.0, within(1e-9));
            assertThat(floor.framesByTree()).doesNotContainKey("freed page");

            WalFramesMain.Frames update = WalFramesMain.count(b, b::update, 20, 40);
            assertThat(update.commits()).isEqualTo(40);
            assertThat(update.perCommit("am_store (leaf)")).isCloseTo(1.0, within(1e-9));
            assertThat(update.perCommit("am_memory (leaf)")).isCloseTo(1.0, within(1e-9));
            assertThat(update.perCommit()).isGreaterThan(floor.perCommit());
        } finally {
            b.close();
        }
    }
}
