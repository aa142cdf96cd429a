package dev.agentmemory.jdbc;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.StoreId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The writer that {@link AbstractCrashTest} kills with SIGKILL: several threads create memories, update them and
 * shared ones conditionally, and delete some, until the process is killed. After each call returns it prints an
 * acknowledgement, flushed at once:
 * <ul>
 *   <li>{@code ACK CREATE <memory id> <version id> <sha256> <content>}
 *   <li>{@code ACK UPDATE <memory id> <version id> <sha256> <content>}
 *   <li>{@code ACK DELETE <memory id>}
 * </ul>
 *
 * <p>Arguments: location, workspace id, store id, round, threads. Contents are single lines unique to the write. The
 * shared memories are the ones under {@code /shared/}; each thread creates its own under {@code /r<round>/t<thread>/}.
 * Exits 1 on any unexpected failure (a precondition failure on a shared memory is expected: threads race on them).
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    /**
     * Runs the writer.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        ChildSupport.guard(Duration.ofSeconds(120));
        try {
            run(args);
        } catch (Throwable e) {
            ChildSupport.die(e);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        String location = args[0];
        String workspace = args[1];
        StoreId store = StoreId.of(args[2]);
        int round = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        try (AgentMemory memory = AgentMemory.builder().backend(ChildSupport.open(location)).build()) {
            Memories reader = memory.workspace(workspace).memories(store, Actor.apiKey("key_crash_reader"));
            List<MemoryId> shared = new ArrayList<>();
            for (ListEntry e : reader.list(ListQuery.under("/shared/").limit(100).build()).items()) {
                shared.add(((Memory) e).id());
            }
            if (shared.isEmpty()) {
                throw new IllegalStateException("no shared memories under /shared/");
            }
            ChildSupport.println("READY");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Memories m = memory.workspace(workspace).memories(store,
                        Actor.apiKey("key_r" + round + "_t" + thread));
                Thread th = new Thread(() -> {
                    try {
                        load(m, shared, round, thread);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "crash-writer-" + t);
                running.add(th);
                th.start();
            }
            for (Thread th : running) {
                th.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a writer thread failed", failure.get());
            }
        }
    }

    /** Writes until the process dies (or, should nobody kill it, for a minute). */
    private static void load(Memories m, List<MemoryId> shared, int round, int thread) {
        Random random = new Random();
        HexFormat hex = HexFormat.of();
        List<Memory> own = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (long op = 0; System.nanoTime() < until; op++) {
            byte[] noise = new byte[8 + random.nextInt(40)];
            random.nextBytes(noise);
            String content = "r" + round + "-t" + thread + "-op" + op + "-" + hex.formatHex(noise);
            int dice = random.nextInt(100);
            if (dice < 25 || own.isEmpty() && dice < 50) {
                Memory created = m.create("/r" + round + "/t" + thread + "/m" + op + ".md", content);
                own.add(created);
                ack("CREATE", created, content);
            } else if (dice < 45) {
                MemoryId id = shared.get(random.nextInt(shared.size()));
                Memory read = m.get(id);
                try {
                    Memory after = m.update(id, MemoryUpdate.content(content).ifContentSha256(read.contentSha256()));
                    ack("UPDATE", after, content);
                } catch (PreconditionFailedException e) {
                    // another thread won this one
                }
            } else if (dice < 90 && !own.isEmpty()) {
                int k = random.nextInt(own.size());
                Memory mine = own.get(k);
                // Nobody else writes a thread's own memories: the precondition must hold.
                Memory after = m.update(mine.id(), MemoryUpdate.content(content)
                        .ifContentSha256(mine.contentSha256()));
                own.set(k, after);
                ack("UPDATE", after, content);
            } else if (!own.isEmpty()) {
                Memory mine = own.remove(random.nextInt(own.size()));
                m.delete(mine.id(), mine.contentSha256());
                ChildSupport.println("ACK DELETE " + mine.id().value());
            }
        }
    }

    private static void ack(String op, Memory m, String content) {
        if (!m.text().equals(content)) {
            throw new IllegalStateException(op + " returned " + m.text() + " instead of " + content);
        }
        ChildSupport.println("ACK " + op + " " + m.id().value() + " " + m.headVersionId().value() + " "
                + m.contentSha256() + " " + content);
    }
}
