package dev.agentmemory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A writer process killed with SIGKILL in the middle of a write load (what survives a crash), round after round on the same
 * database: a {@link CrashWriter} JVM with {@value #THREADS} threads creates, conditionally updates and deletes
 * memories, acknowledging each call that returned; 200 to 800 ms after its first acknowledgement it is killed. The
 * database is then opened anew and must hold every acknowledged write (the acknowledged version, with its content
 * and SHA-256, in the memory's history; the memory live unless it was deleted), and every memory's head must agree
 * with its newest version (same version id, content, SHA-256 and path; absent exactly when that version is a
 * deletion).
 *
 * <p>Rounds: system property {@code agentmemory.crash.rounds} (default {@value #DEFAULT_ROUNDS}, never fewer than
 * 10).
 */
abstract class AbstractCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(AbstractCrashTest.class);

    static final int THREADS = 4;
    static final int SHARED = 4;
    static final int DEFAULT_ROUNDS = 10;
    static final String WORKSPACE = "ws_crash";
    private static final Duration FIRST_ACK_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /**
     * Returns a new, empty database for this test.
     *
     * @return its location, as {@link ChildSupport#open(String)} takes it
     */
    protected abstract String newDatabase();

    /**
     * Checks the database files after a round; nothing by default.
     *
     * @param location the database
     * @throws Exception if the check cannot run
     */
    protected void checkDatabase(String location) throws Exception {
    }

    /** One acknowledgement line: {@code ACK <op> <memory> [<version> <sha> <content>]}. */
    private record Ack(String op, MemoryId memory, VersionId version, String sha, String content, String line) {

        static Ack parse(String line) {
            String[] f = line.split(" ", 6);
            if (f[1].equals("DELETE")) {
                return new Ack(f[1], MemoryId.of(f[2]), null, null, null, line);
            }
            return new Ack(f[1], MemoryId.of(f[2]), VersionId.of(f[3]), f[4], f[5], line);
        }

        /** @return who wrote it: {@code r<round>-t<thread>} */
        String writer() {
            int second = content.indexOf('-', content.indexOf('-') + 1);
            return content.substring(0, second);
        }
    }

    @Test
    @Timeout(value = 280, unit = TimeUnit.SECONDS)
    void everyAcknowledgedWriteSurvivesSigkillAndHeadsAgreeWithVersions() throws Exception {
        int rounds = Math.max(10, Integer.getInteger("agentmemory.crash.rounds", DEFAULT_ROUNDS));
        long started = System.nanoTime();
        String location = newDatabase();
        MemoryStore store;
        try (AgentMemory memory = AgentMemory.builder().backend(ChildSupport.open(location)).build()) {
            store = memory.workspace(WORKSPACE).stores().create(NewStore.named("Crash").build());
            Memories setup = memory.workspace(WORKSPACE).memories(store.id(), Actor.apiKey("key_setup"));
            for (int i = 0; i < SHARED; i++) {
                setup.create("/shared/s" + i + ".md", "shared " + i);
            }
        }
        Random random = new Random();
        List<Ack> acks = new ArrayList<>();
        List<String> perRound = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            int delay = 200 + random.nextInt(601);
            List<Ack> mine = new ArrayList<>();
            try (ChildJvm child = ChildJvm.start("crash-writer-r" + round, dir, CrashWriter.class,
                    List.of(location, WORKSPACE, store.id().value(), Integer.toString(round),
                            Integer.toString(THREADS)))) {
                if (child.awaitLine(l -> l.startsWith("ACK "), FIRST_ACK_LIMIT).isEmpty()) {
                    fail(child + " acknowledged no write within " + FIRST_ACK_LIMIT.toSeconds() + " s"
                            + child.stderrTail());
                }
                Thread.sleep(delay);
                assertThat(child.isAlive()).as("%s still writing when killed%s", child, child.stderrTail()).isTrue();
                Optional<Integer> exit = child.kill();
                assertThat(exit).as("exit status of %s after SIGKILL", child).contains(137);
                child.lines().stream().filter(l -> l.startsWith("ACK ")).map(Ack::parse).forEach(mine::add);
            }
            acks.addAll(mine);
            long checkStarted = System.nanoTime();
            int versions = check(location, store, acks);
            checkDatabase(location);
            perRound.add(String.format("round %d: killed %d ms after the first ack, %d acks (%d creates, %d updates,"
                    + " %d deletes), %d versions in the store, checked in %d ms", round, delay, mine.size(),
                    count(mine, "CREATE"), count(mine, "UPDATE"), count(mine, "DELETE"), versions,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checkStarted)));
        }
        LOG.info("{}: {} rounds, {} acknowledged writes, {} ms in all\n  {}", getClass().getSimpleName(), rounds,
                acks.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                String.join("\n  ", perRound));
    }

    private static long count(List<Ack> acks, String op) {
        return acks.stream().filter(a -> a.op().equals(op)).count();
    }

    /** Opens the database anew and checks acknowledged writes and heads; returns the number of versions. */
    private static int check(String location, MemoryStore store, List<Ack> acks) {
        try (AgentMemory memory = AgentMemory.builder().backend(ChildSupport.open(location)).build()) {
            Memories m = memory.workspace(WORKSPACE).memories(store.id(), Actor.apiKey("key_check"));
            List<MemoryVersion> all = AbstractMultiProcessTest.allVersions(m,
                    VersionQuery.builder().includeContent(true));
            Map<VersionId, MemoryVersion> byId = new HashMap<>();
            Map<MemoryId, List<MemoryVersion>> chains = new LinkedHashMap<>();
            for (MemoryVersion v : all) {
                assertThat(byId.put(v.id(), v)).as("version %s listed once", v.id()).isNull();
                chains.computeIfAbsent(v.memoryId(), k -> new ArrayList<>()).add(v);
            }

            // Every acknowledged write is there.
            Map<String, Integer> lastPosition = new HashMap<>();
            for (Ack a : acks) {
                List<MemoryVersion> chain = chains.get(a.memory());
                assertThat(chain).as("history of %s, acknowledged by: %s", a.memory(), a.line()).isNotNull();
                if (a.op().equals("DELETE")) {
                    assertThat(chain.get(0).operation()).as("newest version of %s, whose deletion was acknowledged",
                            a.memory()).isEqualTo(Operation.DELETED);
                    continue;
                }
                MemoryVersion v = byId.get(a.version());
                assertThat(v).as("the acknowledged version of: %s", a.line()).isNotNull();
                assertThat(v.memoryId()).as("memory of %s", a.line()).isEqualTo(a.memory());
                assertThat(v.operation()).as("operation of %s", a.line())
                        .isEqualTo(a.op().equals("CREATE") ? Operation.CREATED : Operation.MODIFIED);
                assertThat(v.content()).as("content of %s", a.line()).contains(a.content());
                assertThat(v.contentSha256()).as("sha of %s", a.line()).contains(a.sha());
                assertThat(sha256(a.content())).as("sha of the content of %s", a.line()).isEqualTo(a.sha());
                // One thread's acknowledgements of one memory come in the order of its history.
                int position = chain.size() - 1 - chain.indexOf(v);
                String key = a.memory().value() + " " + a.writer();
                Integer before = lastPosition.put(key, position);
                if (before != null) {
                    assertThat(position).as("place in the history of %s of %s, acknowledged after the one at %d",
                            a.memory(), a.line(), before).isGreaterThan(before);
                }
            }

            // Every head agrees with its newest version, and only live memories are listed.
            Map<MemoryId, Memory> listed = new HashMap<>();
            ListQuery q = ListQuery.under("/").limit(100).includeContent(true).build();
            Page<ListEntry> page = m.list(q);
            while (true) {
                page.items().forEach(e -> listed.put(((Memory) e).id(), (Memory) e));
                if (page.nextCursor().isEmpty()) {
                    break;
                }
                page = m.list(q.page(page.nextCursor().get()));
            }
            for (Map.Entry<MemoryId, List<MemoryVersion>> e : chains.entrySet()) {
                MemoryId id = e.getKey();
                List<MemoryVersion> chain = e.getValue();
                MemoryVersion newest = chain.get(0);
                assertThat(chain.get(chain.size() - 1).operation()).as("oldest version of %s", id)
                        .isEqualTo(Operation.CREATED);
                assertThat(chain.subList(1, chain.size())).as("older versions of %s", id)
                        .allMatch(v -> v.operation() != Operation.DELETED);
                if (newest.operation() == Operation.DELETED) {
                    assertThatThrownBy(() -> m.get(id)).as("%s, deleted", id).isInstanceOf(NotFoundException.class);
                    assertThat(listed).as("listing").doesNotContainKey(id);
                    continue;
                }
                Memory head = m.get(id);
                assertThat(head.headVersionId()).as("head of %s", id).isEqualTo(newest.id());
                assertThat(head.text()).as("content of %s", id).isEqualTo(newest.content().orElseThrow());
                assertThat(head.contentSha256()).as("sha of %s", id).isEqualTo(newest.contentSha256().orElseThrow());
                assertThat(head.contentSha256()).as("sha of the content of %s", id).isEqualTo(sha256(head.text()));
                assertThat(head.path()).as("path of %s", id).isEqualTo(newest.path().orElseThrow());
                assertThat(listed.get(id)).as("%s as listed", id).isEqualTo(head);
            }
            Set<MemoryId> live = chains.entrySet().stream()
                    .filter(e -> e.getValue().get(0).operation() != Operation.DELETED).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            assertThat(listed.keySet()).as("listed memories").isEqualTo(live);
            return all.size();
        }
    }

    static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
