package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Batch;
import dev.agentmemory.model.ChainReport;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.RetentionPolicy;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.spi.ChainEntry;
import dev.agentmemory.spi.ChainGap;
import dev.agentmemory.spi.VersionSeal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random histories (creates, updates, moves, batches, deletions, redactions and purges over a moving clock) always
 * leave a chain that verifies; and changing any one field of any one link, as storage would return it, never does.
 */
class ChainProperties {

    private static final Actor AGENT = Actor.apiKey("key_agent");
    private static final Actor ADMIN = Actor.user("admin");

    /** The outcome of one random history. */
    private record World(InMemoryBackend backend, MutableClock clock, StoreId store) {
    }

    private static World history(List<Integer> ops, long seed) {
        Random random = new Random(seed);
        MutableClock clock = new MutableClock(Instant.parse("2026-02-01T00:00:00Z"));
        InMemoryBackend backend = InMemoryBackend.create();
        AgentMemory memory = AgentMemory.builder().backend(backend).clock(clock).build();
        StoreAdmin stores = memory.workspace("ws").stores();
        StoreId store = stores.create(NewStore.named("random").build()).id();
        Memories m = memory.workspace("ws").memories(store, AGENT);
        List<Memory> live = new ArrayList<>();
        int n = 0;
        for (int op : ops) {
            clock.advance(Duration.ofHours(random.nextInt(48)));
            switch (op) {
                case 0 -> live.add(m.create("/d" + random.nextInt(3) + "/f" + n++ + ".md", "c" + random.nextInt()));
                case 1 -> {
                    if (!live.isEmpty()) {
                        int i = random.nextInt(live.size());
                        live.set(i, m.update(live.get(i).id(), MemoryUpdate.content("u" + random.nextInt())));
                    }
                }
                case 2 -> {
                    if (!live.isEmpty()) {
                        m.delete(live.remove(random.nextInt(live.size())).id());
                    }
                }
                case 3 -> {
                    List<MemoryVersion> old = m.versions(VersionQuery.builder().limit(100).build()).items().stream()
                            .filter(v -> !v.isRedacted() && live.stream().noneMatch(x -> x.headVersionId()
                                    .equals(v.id()))).toList();
                    if (!old.isEmpty()) {
                        stores.redact(store, old.get(random.nextInt(old.size())).id(), ADMIN);
                    }
                }
                case 4 -> stores.purge(store, new RetentionPolicy(Duration.ofDays(1 + random.nextInt(5)),
                        random.nextInt(3)));
                default -> {
                    Batch.Builder b = Batch.builder().create("/batch/" + n++ + ".md", "b");
                    if (!live.isEmpty()) {
                        b.update(live.get(0).id(), MemoryUpdate.content("batched " + n));
                    }
                    m.apply(b.build());
                    live.clear();
                    live.addAll(backend.scanMemories(store, "/", "/", 1000, false));
                }
            }
        }
        return new World(backend, clock, store);
    }

    private static ChainReport verify(World w, java.util.function.UnaryOperator<List<ChainEntry>> edit) {
        try (AgentMemory view = AgentMemory.builder().backend(new TamperedBackend(w.backend(), edit)).clock(w.clock())
                .build()) {
            return view.workspace("ws").stores().verify(w.store());
        }
    }

    @Property(tries = 150)
    void randomHistoriesVerify(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 5) Integer> ops,
            @ForAll long seed) {
        World w = history(ops, seed);
        ChainReport r = verify(w, e -> e);
        assertThat(r.broken()).isEmpty();
        assertThat(r.head().length()).isEqualTo(w.backend().findStore(w.store()).orElseThrow().chain().length());
    }

    @Property(tries = 300)
    void anySingleFieldChangeIsDetected(@ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 5) Integer> ops,
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 10_000) int which,
            @ForAll @IntRange(min = 0, max = 9) int field) {
        World w = history(ops, seed);
        ChainReport honest = verify(w, e -> e);
        assertThat(honest.broken()).isEmpty();
        if (honest.linksVerified() == 0) {
            return; // nothing to change
        }
        List<ChainEntry> all = w.backend().listChain(w.store(), 1, Long.MAX_VALUE);
        ChainEntry target = all.get(which % all.size());
        ChainEntry changed = tamper(target, field);
        ChainReport r = verify(w, entries -> entries.stream().map(e -> e.equals(target) ? changed : e).toList());
        assertThat(r.intact()).as("changed %s field %d to %s", target, field, changed).isFalse();
    }

    /** Changes one field of a link. */
    private static ChainEntry tamper(ChainEntry e, int field) {
        String other = "f".repeat(64);
        if (e.kind() == ChainEntry.Kind.GAP) {
            ChainGap g = e.gap().orElseThrow();
            return ChainEntry.gap(switch (field % 3) {
                case 0 -> new ChainGap(g.position(), g.gapEnd(), other, g.createdAt(), g.hash());
                case 1 -> new ChainGap(g.position(), g.gapEnd(), g.gapHash(), g.createdAt().plusSeconds(1), g.hash());
                default -> new ChainGap(g.position(), g.gapEnd(), g.gapHash(), g.createdAt(), other);
            });
        }
        MemoryVersion v = e.version().orElseThrow();
        VersionSeal s = e.seal().orElseThrow();
        if (e.kind() == ChainEntry.Kind.REDACTION) {
            return switch (field % 3) {
                case 0 -> ChainEntry.redaction(v.redacted(Actor.user("mallory"), v.redactedAt().orElseThrow()), s);
                case 1 -> ChainEntry.redaction(v.redacted(v.redactedBy().orElseThrow(),
                        v.redactedAt().orElseThrow().plusSeconds(1)), s);
                default -> ChainEntry.redaction(v, new VersionSeal(s.position(), s.hash(), s.leaf(), s.salt(),
                        s.redactionPosition(), Optional.of(other)));
            };
        }
        MemoryVersion w = switch (field) {
            case 0 -> new MemoryVersion(v.id(), v.storeId(), v.memoryId(), v.operation(), v.path(),
                    Optional.of(v.content().orElse("") + "!"), v.contentSha256(), v.contentSizeBytes(), v.createdBy(),
                    v.createdAt(), v.redactedAt(), v.redactedBy());
            case 1 -> new MemoryVersion(v.id(), v.storeId(), v.memoryId(), v.operation(),
                    Optional.of(v.path().orElse("") + "x"), v.content(), v.contentSha256(), v.contentSizeBytes(),
                    v.createdBy(), v.createdAt(), v.redactedAt(), v.redactedBy());
            case 2 -> new MemoryVersion(v.id(), v.storeId(), v.memoryId(), v.operation(), v.path(), v.content(),
                    v.contentSha256(), v.contentSizeBytes(), Actor.user("mallory"), v.createdAt(), v.redactedAt(),
                    v.redactedBy());
            case 3 -> new MemoryVersion(v.id(), v.storeId(), v.memoryId(), v.operation(), v.path(), v.content(),
                    v.contentSha256(), v.contentSizeBytes(), v.createdBy(), v.createdAt().plusNanos(1000),
                    v.redactedAt(), v.redactedBy());
            case 4 -> new MemoryVersion(v.id(), v.storeId(), v.memoryId(),
                    v.operation() == Operation.MODIFIED ? Operation.CREATED : Operation.MODIFIED, v.path(),
                    v.content(), v.contentSha256(), v.contentSizeBytes(), v.createdBy(), v.createdAt(),
                    v.redactedAt(), v.redactedBy());
            case 5 -> v.isRedacted() ? v.withoutContent() : v.redacted(Actor.user("mallory"), v.createdAt());
            default -> v;
        };
        VersionSeal t = switch (field) {
            case 6 -> new VersionSeal(s.position(), s.hash(), other, s.salt(), s.redactionPosition(),
                    s.redactionHash());
            case 7 -> new VersionSeal(s.position(), other, s.leaf(), s.salt(), s.redactionPosition(),
                    s.redactionHash());
            case 8 -> new VersionSeal(s.position(), s.hash(), s.leaf(), Optional.of(other), s.redactionPosition(),
                    s.redactionHash());
            case 9 -> new VersionSeal(s.position() + 100_000, s.hash(), s.leaf(), s.salt(), s.redactionPosition(),
                    s.redactionHash());
            default -> s;
        };
        if (field == 5 && v.isRedacted()) {
            // a redacted version "un-redacted": shown as never redacted, without content
            w = new MemoryVersion(v.id(), v.storeId(), v.memoryId(), v.operation(), Optional.of("/back.md"),
                    Optional.empty(), Optional.empty(), Optional.empty(), v.createdBy(), v.createdAt(),
                    Optional.empty(), Optional.empty());
        }
        return ChainEntry.version(w, t);
    }
}
