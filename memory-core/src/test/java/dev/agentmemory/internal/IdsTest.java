package dev.agentmemory.internal;

import dev.agentmemory.model.internal.IdRules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.WorkspaceId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    /** Crockford base32, lowercase: digits and letters but i, l, o and u. */
    private static final String BASE32 = "[0-9a-hjkmnp-tv-z]";

    /** A clock whose milliseconds follow a function of the call count. */
    private static final class ScriptedClock extends Clock {
        private final LongUnaryOperator millisOfCall;
        private long calls;

        ScriptedClock(LongUnaryOperator millisOfCall) {
            this.millisOfCall = millisOfCall;
        }

        @Override
        public synchronized long millis() {
            return millisOfCall.applyAsLong(calls++);
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static void assertStrictlyIncreasing(List<String> ids) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i - 1).compareTo(ids.get(i)) >= 0) {
                throw new AssertionError("id " + i + " " + ids.get(i) + " does not sort after " + ids.get(i - 1));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem_", "memver_", "memstore_", "sesn_"})
    void madeIdsHaveThePrefixAnd29Base32Characters(String prefix) {
        Ids ids = new Ids(Clock.systemUTC());
        for (int i = 0; i < 1000; i++) {
            assertThat(ids.next(prefix)).startsWith(prefix).hasSize(prefix.length() + 29)
                    .matches(java.util.regex.Pattern.quote(prefix) + BASE32 + "{29}");
        }
    }

    @Test
    void madeIdsPassTheirTypedChecks() {
        Ids ids = new Ids(Clock.systemUTC());
        assertThat(StoreId.of(ids.next(StoreId.PREFIX)).value()).startsWith("memstore_");
        assertThat(MemoryId.of(ids.next(MemoryId.PREFIX)).value()).startsWith("mem_");
        assertThat(VersionId.of(ids.next(VersionId.PREFIX)).value()).startsWith("memver_");
        assertThat(SessionId.of(ids.next(SessionId.PREFIX)).value()).startsWith("sesn_");
    }

    @Test
    void idsAreUniqueAcrossThreadsAndIncreasingWithinEach() throws Exception {
        Ids ids = new Ids(Clock.systemUTC());
        int threads = 4;
        int perThread = 25_000;
        Set<String> all = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<String> mine = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        String id = ids.next("mem_");
                        mine.add(id);
                        all.add(id);
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (Future<List<String>> f : futures) {
                assertStrictlyIncreasing(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(all).hasSize(threads * perThread);
    }

    @Test
    void anIdMadeAtATimeTheWriteReadLeadsWithThatTime() {
        long at = 1_735_689_600_015L;
        // the id maker's own clock is not read: the time given leads the id, as it would lead one the clock gave
        Ids ids = new Ids(new ScriptedClock(call -> {
            throw new AssertionError("the clock was read");
        }));
        String made = ids.next("mem_", at);
        String expected = new Ids(Clock.fixed(Instant.ofEpochMilli(at), ZoneOffset.UTC)).next("mem_");
        assertThat(made.substring(0, 4 + 13)).isEqualTo(expected.substring(0, 4 + 13));
        // a floor from later than the time given still comes first
        String floor = new Ids(Clock.fixed(Instant.ofEpochMilli(at + 5000), ZoneOffset.UTC)).next("memver_");
        assertThat(ids.nextAfter("memver_", floor, at)).isGreaterThan(floor);
        Ids fresh = new Ids(new ScriptedClock(call -> {
            throw new AssertionError("the clock was read");
        }));
        String later = fresh.nextAfter("memver_", made.replace("mem_", "memver_"), at + 1000);
        assertThat(later.substring(7, 7 + 13)).isEqualTo(new Ids(Clock.fixed(Instant.ofEpochMilli(at + 1000),
                ZoneOffset.UTC)).next("memver_").substring(7, 7 + 13));
    }

    @Test
    void idsIncreaseWithAFixedClockEvenPastTheCounter() {
        // low bits of the milliseconds set, so that a counter spilling into them would show
        Ids ids = new Ids(Clock.fixed(Instant.ofEpochMilli(1_735_689_600_015L), ZoneOffset.UTC));
        // more than three times the 16-bit counter
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            made.add(ids.next("mem_"));
        }
        assertStrictlyIncreasing(made);
        assertThat(new HashSet<>(made)).hasSize(made.size());
    }

    @Test
    void idsIncreaseWhenTheClockGoesBackwards() {
        Ids ids = new Ids(new ScriptedClock(call -> 1_700_000_000_000L - call * 7));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            made.add(ids.next("memver_"));
        }
        assertStrictlyIncreasing(made);
    }

    @Test
    void idsIncreaseWhenTheClockJumpsBackOnce() {
        ScriptedClock clock = new ScriptedClock(call -> call < 10 ? 2_000_000L + call : 1_000_000L + call);
        Ids ids = new Ids(clock);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            made.add(ids.next("mem_"));
        }
        assertStrictlyIncreasing(made);
    }

    @Test
    void idsSortByTimeAcrossMakers() {
        long t0 = 1_700_000_000_000L;
        // one maker makes many ids in one millisecond; another, later, makes one
        Ids early = new Ids(Clock.fixed(Instant.ofEpochMilli(t0), ZoneOffset.UTC));
        Ids late = new Ids(Clock.fixed(Instant.ofEpochMilli(t0 + 1), ZoneOffset.UTC));
        List<String> earlyIds = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            earlyIds.add(early.next("mem_"));
        }
        String lateId = late.next("mem_");
        assertThat(earlyIds).allSatisfy(id -> assertThat(id).isLessThan(lateId));

        // a clock stepping forward: every id sorts after every id of an earlier millisecond, whoever made it
        Ids stepping = new Ids(new ScriptedClock(call -> t0 + 1000 + call * 3));
        Ids other = new Ids(new ScriptedClock(call -> t0 + 1000 + call * 3 + 1));
        List<String> byTime = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byTime.add(stepping.next("mem_")); // at t0 + 1000 + 3i
            byTime.add(other.next("mem_")); // at t0 + 1000 + 3i + 1
        }
        assertStrictlyIncreasing(byTime);
    }

    @Test
    void nextAfterSortsAfterAFloorMadeByAnotherMakerInTheSameMillisecond() {
        Clock fixed = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);
        Ids other = new Ids(fixed);
        String floor = null;
        for (int i = 0; i < 50; i++) {
            floor = other.next("memver_"); // counter 49 in that millisecond
        }
        Ids mine = new Ids(fixed); // its counter starts again at 0 in the same millisecond
        String plain = new Ids(fixed).next("memver_");
        assertThat(plain.substring(0, 7 + 13)).isLessThan(floor.substring(0, 7 + 13));
        String after = mine.nextAfter("memver_", floor);
        assertThat(after).isGreaterThan(floor).hasSize(floor.length());
        // the time and counter right after the floor's: same millisecond, counter + 1
        assertThat(after.substring(0, 7 + 12)).isEqualTo(floor.substring(0, 7 + 12));
        // and the maker's later ids sort after it
        List<String> later = new ArrayList<>(List.of(floor, after));
        for (int i = 0; i < 100; i++) {
            later.add(mine.next("memver_"));
        }
        assertStrictlyIncreasing(later);
    }

    @Test
    void nextAfterSortsAfterAFloorFromALaterClockAndCarriesTheCounterIntoTheTime() {
        Ids ahead = new Ids(Clock.fixed(Instant.ofEpochMilli(1_700_000_005_000L), ZoneOffset.UTC));
        Ids behind = new Ids(Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));
        String floor = ahead.next("mem_");
        List<String> chain = new ArrayList<>(List.of(floor));
        for (int i = 0; i < 70_000; i++) { // past the 16-bit counter
            chain.add(behind.nextAfter("mem_", chain.get(chain.size() - 1)));
        }
        assertStrictlyIncreasing(chain);
    }

    @Test
    void nextAfterIgnoresAFloorItDidNotMake() {
        Ids ids = new Ids(Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));
        for (String foreign : List.of("memver_01JABCDEFGHJKMNPQRSTVWXYZ", "memver_" + "z".repeat(29),
                "memver_" + "u".repeat(29), "memver_x", "other_" + "0".repeat(29))) {
            String id = ids.nextAfter("memver_", foreign);
            assertThat(id).startsWith("memver_0").hasSize(7 + 29);
        }
    }

    @Test
    void twoMakersAtTheSameInstantDifferInTheirRandomBits() {
        Clock fixed = Clock.fixed(Instant.parse("2030-06-01T12:00:00Z"), ZoneOffset.UTC);
        String a = new Ids(fixed).next("mem_").substring(4);
        String b = new Ids(fixed).next("mem_").substring(4);
        // 1 zero bit + 48 time bits + 16 counter bits = 65 bits = the first 13 characters
        assertThat(a.substring(0, 13)).isEqualTo(b.substring(0, 13));
        // the last 16 characters are 80 random bits
        assertThat(a.substring(13)).isNotEqualTo(b.substring(13));
    }

    @Test
    void randomPartUsesTheWholeAlphabetInEveryPosition() {
        Ids ids = new Ids(Clock.fixed(Instant.parse("2030-06-01T12:00:00Z"), ZoneOffset.UTC));
        List<Set<Character>> seen = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            seen.add(new HashSet<>());
        }
        for (int n = 0; n < 5000; n++) {
            String random = ids.next("x_").substring(2 + 13);
            for (int i = 0; i < 16; i++) {
                seen.get(i).add(random.charAt(i));
            }
        }
        assertThat(seen).allSatisfy(s -> assertThat(s).hasSize(32));
    }

    // ------------------------------------------------------------------ syntax checks

    @ParameterizedTest
    @ValueSource(strings = {"mem_a", "mem_01JABCDEFGHJKMNPQRSTVWXYZ", "mem_A-b_9", "mem__", "mem_-"})
    void checkSyntaxAccepts(String id) {
        IdRules.checkSyntax("mem_", id, "MemoryId");
    }

    @Test
    void checkSyntaxLengthLimitIs128InAll() {
        IdRules.checkSyntax("mem_", "mem_" + "a".repeat(124), "MemoryId");
        assertThat(rule(() -> IdRules.checkSyntax("mem_", "mem_" + "a".repeat(125), "MemoryId"))).isEqualTo("id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mem_", "mem", "MEM_a", "memx_a", "mem_a b", "mem_é", "mem_a/b", "mem_a.b",
            "mem_a\n", "mem_\u200B", " mem_a", "memver_a"})
    void checkSyntaxRefuses(String id) {
        assertThat(rule(() -> IdRules.checkSyntax("mem_", id, "MemoryId"))).isEqualTo("id");
    }

    @Test
    void checkSyntaxRefusesNull() {
        assertThat(rule(() -> IdRules.checkSyntax("mem_", null, "MemoryId"))).isEqualTo("id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme", "a", "user@example.com", "tenant-42/eu", "ünïcödé", "😀", "\uD835\uDC9C",
        "\uD836\uDC00", "𠀋𡈽"})
    void checkExternalAccepts(String id) {
        IdRules.checkExternal(id, "workspace id");
        assertThat(WorkspaceId.of(id).value()).isEqualTo(id);
    }

    @Test
    void checkExternalLengthLimitIs255() {
        IdRules.checkExternal("x".repeat(255), "user id");
        assertThat(rule(() -> IdRules.checkExternal("x".repeat(256), "user id"))).isEqualTo("id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a\tb", "a\nb", "a\u0000", "a\u0085", "a\u200Bb", "a\u202E", "\uFEFFa",
            "a\uD800", "\uDC00", "a\u00A0b", "a\u2007b", "a\u202Fb", "a\u2028b", "a\u3000b", "a\uDB40\uDC01",
            "\uDBFF", "\uDE00\uD83D"})
    void checkExternalRefuses(String id) {
        assertThat(rule(() -> IdRules.checkExternal(id, "user id"))).isEqualTo("id");
    }

    @Test
    void checkExternalRefusesNull() {
        assertThat(rule(() -> IdRules.checkExternal(null, "user id"))).isEqualTo("id");
    }

    // ------------------------------------------------------------------ typed ids

    @Test
    void typedIdsRefuseOtherPrefixes() {
        List<Function<String, Object>> makers = List.of(StoreId::of, MemoryId::of, VersionId::of, SessionId::of);
        List<String> prefixes = List.of(StoreId.PREFIX, MemoryId.PREFIX, VersionId.PREFIX, SessionId.PREFIX);
        for (int i = 0; i < makers.size(); i++) {
            for (int j = 0; j < prefixes.size(); j++) {
                String value = prefixes.get(j) + "01abc";
                Function<String, Object> maker = makers.get(i);
                if (i == j) {
                    assertThat(maker.apply(value)).hasToString(value);
                } else {
                    assertThatThrownBy(() -> maker.apply(value)).as(value)
                            .isInstanceOf(InvalidArgumentException.class);
                }
            }
            Function<String, Object> maker = makers.get(i);
            assertThatThrownBy(() -> maker.apply(null)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> maker.apply("01abc")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> maker.apply(prefixes.get(0).toUpperCase() + "01abc"))
                    .isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void typedIdsAreValues() {
        assertThat(MemoryId.of("mem_x")).isEqualTo(new MemoryId("mem_x")).hasSameHashCodeAs(MemoryId.of("mem_x"));
        assertThat(MemoryId.of("mem_a")).isLessThan(MemoryId.of("mem_b"));
        assertThatThrownBy(() -> WorkspaceId.of("has space")).isInstanceOf(InvalidArgumentException.class);
    }

    private static String rule(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(InvalidArgumentException.class);
        return ((InvalidArgumentException) t).rule();
    }
}
