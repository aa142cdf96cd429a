package dev.agentmemory.jdbc;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.PreconditionFailedException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.StoreId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One of the racing processes of {@link AbstractMultiProcessTest}: several threads increment counters held in the
 * content of shared memories, each by a read, then an update conditional on the SHA-256 it read, retrying after a
 * precondition failure, until each thread has made its number of successful writes.
 *
 * <p>Arguments: location, workspace id, store id, process number, threads, successful writes per thread, and the
 * memory ids separated by commas. It prints {@code READY} once the database is open and waits for a line on standard
 * input before it starts. It prints {@code WROTE <memory id> <version id> <content>} after each successful write and
 * {@code DONE <memory id>=<writes> ... conflicts=<n>} at the end, then exits 0; any other failure exits 1.
 *
 * <p>Each write's content is {@code counter=<n>;writer=p<process>-t<thread>-a<attempt>}: the writer tag is unique
 * to the attempt, so no two writers ever ask for the same new state (which would make the second a legal no-op) and a
 * write that took effect without being reported shows up as a version nobody wrote.
 */
public final class RaceWriter {

    private RaceWriter() {
    }

    /**
     * Runs the writer.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        ChildSupport.guard(Duration.ofSeconds(170));
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
        int process = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        int writesPerThread = Integer.parseInt(args[5]);
        List<MemoryId> ids = Arrays.stream(args[6].split(",")).map(MemoryId::of).toList();
        try (AgentMemory memory = AgentMemory.builder().backend(ChildSupport.open(location)).build()) {
            // One read before the start, so that every thread begins with warm connections.
            memory.workspace(workspace).memories(store, Actor.apiKey("key_warmup")).get(ids.get(0));
            ChildSupport.println("READY");
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!"GO".equals(go)) {
                throw new IllegalStateException("expected GO on standard input, got " + go);
            }
            AtomicLongArray written = new AtomicLongArray(ids.size());
            AtomicLong conflicts = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Memories m = memory.workspace(workspace).memories(store,
                        Actor.apiKey("key_p" + process + "_t" + thread));
                Thread th = new Thread(() -> {
                    try {
                        write(m, ids, process, thread, writesPerThread, written, conflicts);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "race-writer-" + t);
                running.add(th);
                th.start();
            }
            for (Thread th : running) {
                th.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a writer thread failed", failure.get());
            }
            StringBuilder done = new StringBuilder("DONE");
            for (int i = 0; i < ids.size(); i++) {
                done.append(' ').append(ids.get(i).value()).append('=').append(written.get(i));
            }
            ChildSupport.println(done.append(" conflicts=").append(conflicts.get()).toString());
        }
    }

    private static void write(Memories m, List<MemoryId> ids, int process, int thread, int writes,
            AtomicLongArray written, AtomicLong conflicts) {
        Random random = new Random(1000L * process + thread);
        int done = 0;
        for (long attempt = 0; done < writes; attempt++) {
            int i = random.nextInt(ids.size());
            MemoryId id = ids.get(i);
            Memory read = m.get(id);
            String content = "counter=" + (counter(read.text()) + 1) + ";writer=p" + process + "-t" + thread + "-a"
                    + attempt;
            try {
                Memory after = m.update(id, MemoryUpdate.content(content).ifContentSha256(read.contentSha256()));
                if (!after.text().equals(content) || after.headVersionId().equals(read.headVersionId())) {
                    throw new IllegalStateException("update of " + id + " to " + content + " returned " + after
                            + " after reading " + read);
                }
                ChildSupport.println("WROTE " + id.value() + " " + after.headVersionId().value() + " " + content);
                written.incrementAndGet(i);
                done++;
            } catch (PreconditionFailedException e) {
                if (e.currentSha256().equals(read.contentSha256())) {
                    throw new IllegalStateException("precondition failed although the sha is the one read", e);
                }
                conflicts.incrementAndGet();
            }
        }
    }

    /**
     * Reads the counter of a content written by this class.
     *
     * @param content {@code counter=<n>;...}
     * @return n
     */
    static int counter(String content) {
        if (!content.startsWith("counter=")) {
            throw new IllegalStateException("not a counter: " + content);
        }
        int end = content.indexOf(';');
        return Integer.parseInt(content.substring("counter=".length(), end < 0 ? content.length() : end));
    }
}
