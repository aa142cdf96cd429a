package dev.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.model.Limits;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class LimitsTest {

    /** One int setting: its name, setter, getter and range. */
    private record Setting(String name, BiConsumer<Limits.Builder, Integer> set, ToIntFunction<Limits> get, int min,
            int max) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("maxContentBytes", Limits.Builder::maxContentBytes, Limits::maxContentBytes, 1,
                    16 * 1024 * 1024),
            new Setting("maxPathBytes", Limits.Builder::maxPathBytes, Limits::maxPathBytes, 2, 4096),
            new Setting("maxPathSegments", Limits.Builder::maxPathSegments, Limits::maxPathSegments, 1, 256),
            new Setting("maxAttachments", Limits.Builder::maxAttachments, Limits::maxAttachments, 1, 64),
            new Setting("maxInstructionsChars", Limits.Builder::maxInstructionsChars, Limits::maxInstructionsChars,
                    0, 65_536),
            new Setting("maxStoreNameChars", Limits.Builder::maxStoreNameChars, Limits::maxStoreNameChars, 1, 4096),
            new Setting("maxDescriptionChars", Limits.Builder::maxDescriptionChars, Limits::maxDescriptionChars, 0,
                    65_536),
            new Setting("maxMetadataPairs", Limits.Builder::maxMetadataPairs, Limits::maxMetadataPairs, 0, 1024),
            new Setting("maxMetadataKeyChars", Limits.Builder::maxMetadataKeyChars, Limits::maxMetadataKeyChars, 1,
                    1024),
            new Setting("maxMetadataValueChars", Limits.Builder::maxMetadataValueChars,
                    Limits::maxMetadataValueChars, 0, 65_536),
            new Setting("maxMemoriesPerStore", Limits.Builder::maxMemoriesPerStore, Limits::maxMemoriesPerStore, 1,
                    10_000_000),
            new Setting("retentionKeepPerMemory", Limits.Builder::retentionKeepPerMemory,
                    l -> l.retention().keepPerLiveMemory(), 0, 1_000_000));

    @Test
    void defaultsAreThoseOfSpecSection9() {
        Limits d = Limits.defaults();
        assertThat(d.maxContentBytes()).isEqualTo(100 * 1024);
        assertThat(d.maxPathBytes()).isEqualTo(1024);
        assertThat(d.maxPathSegments()).isEqualTo(32);
        assertThat(d.maxAttachments()).isEqualTo(8);
        assertThat(d.maxInstructionsChars()).isEqualTo(4096);
        assertThat(d.maxStoreNameChars()).isEqualTo(255);
        assertThat(d.maxDescriptionChars()).isEqualTo(1024);
        assertThat(d.maxMetadataPairs()).isEqualTo(16);
        assertThat(d.maxMetadataKeyChars()).isEqualTo(64);
        assertThat(d.maxMetadataValueChars()).isEqualTo(512);
        assertThat(d.maxMemoriesPerStore()).isEqualTo(10_000);
        assertThat(d.retention().window()).isEqualTo(Duration.ofDays(30));
        assertThat(d.retention().keepPerLiveMemory()).isEqualTo(10);
    }

    @Test
    void anEmptyBuilderGivesTheDefaults() {
        Limits built = Limits.builder().build();
        for (Setting s : SETTINGS) {
            assertThat(s.get().applyAsInt(built)).as(s.name()).isEqualTo(s.get().applyAsInt(Limits.defaults()));
        }
        assertThat(built.retention()).isEqualTo(Limits.defaults().retention());
        try (AgentMemory memory = AgentMemory.inMemory()) {
            assertThat(memory.limits().toString()).isEqualTo(Limits.defaults().toString());
        }
    }

    @Test
    void eachSettingTakesEffectAtItsBounds() {
        for (Setting s : SETTINGS) {
            for (int value : new int[] {s.min(), s.max()}) {
                Limits.Builder b = Limits.builder();
                s.set().accept(b, value);
                assertThat(s.get().applyAsInt(b.build())).as(s.name() + "=" + value).isEqualTo(value);
            }
        }
        assertThat(Limits.builder().retentionWindow(Duration.ZERO).build().retention().window())
                .isEqualTo(Duration.ZERO);
        assertThat(Limits.builder().retentionWindow(Duration.ofDays(365)).build().retention().window())
                .isEqualTo(Duration.ofDays(365));
    }

    @Test
    void eachSettingMayBeMadeOnce() {
        for (Setting s : SETTINGS) {
            Limits.Builder b = Limits.builder();
            s.set().accept(b, s.min());
            assertThatThrownBy(() -> s.set().accept(b, s.min())).as(s.name())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(s.name());
        }
        Limits.Builder b = Limits.builder().retentionWindow(Duration.ofDays(1));
        assertThatThrownBy(() -> b.retentionWindow(Duration.ofDays(2))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        for (Setting s : SETTINGS) {
            for (int value : new int[] {s.min() - 1, s.max() + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                assertThatThrownBy(() -> s.set().accept(Limits.builder(), value)).as(s.name() + "=" + value)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(s.name());
            }
        }
        assertThatThrownBy(() -> Limits.builder().retentionWindow(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limits.builder().retentionWindow(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void settingsAreIndependent() {
        Limits l = Limits.builder().maxPathBytes(100).maxMetadataPairs(3).build();
        assertThat(l.maxPathBytes()).isEqualTo(100);
        assertThat(l.maxMetadataPairs()).isEqualTo(3);
        assertThat(l.maxPathSegments()).isEqualTo(32);
        assertThat(l.maxContentBytes()).isEqualTo(100 * 1024);
    }

    @Test
    void agentMemoryBuilderSettingsAreMadeOnce() {
        AgentMemory.Builder b = AgentMemory.builder().limits(Limits.defaults());
        assertThatThrownBy(() -> b.limits(Limits.defaults())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AgentMemory.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRefusedValueDoesNotCountAsASettingMade() {
        Limits.Builder b = Limits.builder();
        assertThatThrownBy(() -> b.maxContentBytes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.retentionWindow(java.time.Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        Limits limits = b.maxContentBytes(2048).retentionWindow(java.time.Duration.ofDays(7)).build();
        assertThat(limits.maxContentBytes()).isEqualTo(2048);
        assertThat(limits.retention().window()).isEqualTo(java.time.Duration.ofDays(7));
    }
}
