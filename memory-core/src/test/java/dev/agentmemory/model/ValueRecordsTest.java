package dev.agentmemory.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmemory.error.InvalidArgumentException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ValueRecordsTest {

    private static final StoreId STORE = StoreId.of("memstore_01");
    private static final MemoryId MEMORY = MemoryId.of("mem_01");
    private static final VersionId VERSION = VersionId.of("memver_01");
    private static final SessionId SESSION = SessionId.of("sesn_01");
    private static final Instant T1 = Instant.parse("2025-03-01T10:00:00.123456Z");
    private static final Instant T2 = Instant.parse("2025-03-02T11:00:00Z");
    private static final Actor ALICE = Actor.user("alice");

    private static Memory memory() {
        return new Memory(MEMORY, STORE, "/a.md", Optional.of("hello"), "ab".repeat(32), 5, VERSION, T1, T2);
    }

    private static MemoryVersion version() {
        return new MemoryVersion(VERSION, STORE, MEMORY, Operation.MODIFIED, Optional.of("/a.md"),
                Optional.of("hello"), Optional.of("ab".repeat(32)), Optional.of(5L), Actor.session(SESSION), T1,
                Optional.empty(), Optional.empty());
    }

    private static Attachment attachment() {
        return new Attachment(STORE, Access.READ_ONLY, "be brief", "notes", "/mnt/memory/notes/", "Notes", "d");
    }

    /** A valid instance of each value record whose components must not be null. */
    static Stream<Record> samples() {
        return Stream.of(
                memory(),
                version(),
                new MemoryStore(STORE, WorkspaceId.of("acme"), "Notes", "about", Map.of("k", "v"), OptionalInt.of(10),
                        OptionalInt.empty(), T1, T2, Optional.empty()),
                new NewStore("Notes", "", Map.of(), OptionalInt.empty(), OptionalInt.empty()),
                new StoreUpdate(Optional.of("n"), Optional.empty(), Map.of("k", Optional.empty()), OptionalInt.empty(),
                        OptionalInt.empty()),
                new Page<>(List.of("x"), Optional.empty()),
                attachment(),
                new AttachmentSpec(STORE, Access.READ_WRITE, ""),
                new SessionInfo(SESSION, WorkspaceId.of("acme"), List.of(attachment()), T1),
                new TransferSummary(STORE, 1, 2),
                new MemoryUpdate(Optional.of("c"), Optional.empty(), Optional.empty()),
                new ListQuery("/", 0, 20, Optional.empty(), false),
                new VersionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), 20, Optional.empty(), false),
                new StoreQuery(false, Optional.empty(), Optional.empty(), 20, Optional.empty()),
                new RetentionPolicy(Duration.ofDays(1), 3),
                new MemoryPrefix("/a/"),
                new Batch(List.of(new Change.Create("/a", ""))),
                new Change.Create("/a", "x"),
                new Change.Update(MEMORY, MemoryUpdate.content("x")),
                new Change.Delete(MEMORY, Optional.empty()),
                new ChangeResult(MEMORY, Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyReferenceComponentIsRequired(Record sample) throws Exception {
        Class<?> type = sample.getClass();
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<?> canonical = type.getDeclaredConstructor(types);
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = components[i].getAccessor().invoke(sample);
        }
        // the sample itself is valid and round-trips
        assertThat(canonical.newInstance(args)).isEqualTo(sample);
        int checked = 0;
        for (int i = 0; i < components.length; i++) {
            if (components[i].getType().isPrimitive()) {
                continue;
            }
            Object[] withNull = args.clone();
            withNull[i] = null;
            Throwable t = catchThrowable(() -> canonical.newInstance(withNull));
            assertThat(t).as("%s with null %s", type.getSimpleName(), components[i].getName())
                    .isInstanceOf(InvocationTargetException.class);
            assertThat(t.getCause()).as("%s with null %s", type.getSimpleName(), components[i].getName())
                    .isInstanceOf(NullPointerException.class);
            checked++;
        }
        assertThat(checked).isPositive();
    }

    @Test
    void redactedClearsContentShaSizeAndPathAndKeepsTheRest() {
        MemoryVersion v = version();
        Instant at = T2.plusSeconds(60);
        MemoryVersion r = v.redacted(ALICE, at);
        assertThat(r.content()).isEmpty();
        assertThat(r.contentSha256()).isEmpty();
        assertThat(r.contentSizeBytes()).isEmpty();
        assertThat(r.path()).isEmpty();
        assertThat(r.id()).isEqualTo(v.id());
        assertThat(r.storeId()).isEqualTo(v.storeId());
        assertThat(r.memoryId()).isEqualTo(v.memoryId());
        assertThat(r.operation()).isEqualTo(Operation.MODIFIED);
        assertThat(r.createdBy()).isEqualTo(Actor.session(SESSION));
        assertThat(r.createdAt()).isEqualTo(T1);
        assertThat(r.redactedAt()).contains(at);
        assertThat(r.redactedBy()).contains(ALICE);
        assertThat(r.isRedacted()).isTrue();
        assertThat(v.isRedacted()).isFalse();
    }

    @Test
    void redactedAtAndRedactedByComeTogether() {
        MemoryVersion v = version();
        assertThatThrownBy(() -> new MemoryVersion(v.id(), v.storeId(), v.memoryId(), v.operation(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), v.createdBy(), v.createdAt(), Optional.of(T2),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemoryVersion(v.id(), v.storeId(), v.memoryId(), v.operation(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), v.createdBy(), v.createdAt(), Optional.empty(),
                Optional.of(ALICE))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutContentDropsOnlyTheContent() {
        MemoryVersion v = version().withoutContent();
        assertThat(v.content()).isEmpty();
        assertThat(v.contentSha256()).isEqualTo(version().contentSha256());
        assertThat(v.path()).isEqualTo(version().path());
        Memory m = memory().withoutContent();
        assertThat(m.content()).isEmpty();
        assertThat(m).isEqualTo(new Memory(MEMORY, STORE, "/a.md", Optional.empty(), "ab".repeat(32), 5, VERSION,
                T1, T2));
        assertThatThrownBy(m::text).isInstanceOf(IllegalStateException.class);
        assertThat(memory().text()).isEqualTo("hello");
    }

    @Test
    void pageCopiesItsList() {
        List<String> items = new ArrayList<>(List.of("a", "b"));
        Page<String> page = new Page<>(items, Optional.of("page_x"));
        items.add("c");
        items.set(0, "z");
        assertThat(page.items()).containsExactly("a", "b");
        assertThatThrownBy(() -> page.items().add("d")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(page.hasMore()).isTrue();
        assertThat(new Page<>(List.of(), Optional.empty()).hasMore()).isFalse();
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> new Page<>(withNull, Optional.empty())).isInstanceOf(NullPointerException.class);
    }

    @Test
    void collectionsInRecordsAreCopies() {
        Map<String, String> md = new HashMap<>(Map.of("k", "v"));
        MemoryStore s = new MemoryStore(STORE, WorkspaceId.of("acme"), "n", "", md, OptionalInt.empty(),
                OptionalInt.empty(), T1, T1, Optional.empty());
        md.put("k2", "v2");
        assertThat(s.metadata()).containsOnlyKeys("k");
        assertThatThrownBy(() -> s.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);

        List<Change> changes = new ArrayList<>(List.of(new Change.Create("/a", "")));
        Batch batch = new Batch(changes);
        changes.clear();
        assertThat(batch.changes()).hasSize(1);

        List<Attachment> attachments = new ArrayList<>(List.of(attachment()));
        SessionInfo info = new SessionInfo(SESSION, WorkspaceId.of("acme"), attachments, T1);
        attachments.clear();
        assertThat(info.attachments()).hasSize(1);
    }

    @Test
    void memoryPrefixEndsInSlash() {
        assertThatThrownBy(() -> new MemoryPrefix("/a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retentionPolicyRefusesNegatives() {
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofSeconds(-1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ZERO, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void actorsCheckTheirIdsAndRoundTripThroughWireNames() {
        assertThatThrownBy(() -> Actor.user("")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Actor.apiKey("a b")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Actor.serviceAccount(null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Actor.session(null)).isInstanceOf(NullPointerException.class);
        for (Actor a : List.of(Actor.user("u1"), Actor.apiKey("key_1"), Actor.serviceAccount("sa-1"),
                Actor.session(SESSION))) {
            assertThat(Actor.of(Actor.Type.fromWireName(a.type().wireName()), a.id())).isEqualTo(a);
        }
        assertThatThrownBy(() -> Actor.Type.fromWireName("robot_actor")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Actor.of(Actor.Type.SESSION, "user_1")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void operationsAndAccessHaveWireNames() {
        for (Operation op : Operation.values()) {
            assertThat(Operation.fromWireName(op.wireName())).isEqualTo(op);
        }
        assertThat(Operation.CREATED.wireName()).isEqualTo("created");
        assertThatThrownBy(() -> Operation.fromWireName("CREATED")).isInstanceOf(InvalidArgumentException.class);
        assertThat(Access.READ_ONLY.wireName()).isEqualTo("read_only");
        assertThat(Access.READ_WRITE.wireName()).isEqualTo("read_write");
    }
}
