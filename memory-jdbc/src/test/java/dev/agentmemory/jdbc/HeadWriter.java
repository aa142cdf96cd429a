package dev.agentmemory.jdbc;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.StoreId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The other process of {@link HeadCacheTest}: it opens the database, prints {@code READY}, then for each line
 * {@code write <content>} on standard input updates one memory to that content and prints {@code WROTE <content>}
 * once the update has returned. It exits 0 at the end of its input; any failure exits 1.
 *
 * <p>Arguments: location, workspace id, store id, memory id.
 */
public final class HeadWriter {

    private HeadWriter() {
    }

    /**
     * Runs the writer.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        ChildSupport.guard(Duration.ofSeconds(120));
        try (AgentMemory am = AgentMemory.builder().backend(ChildSupport.open(args[0])).build()) {
            Memories m = am.workspace(args[1]).memories(StoreId.of(args[2]), Actor.user("head-writer"));
            MemoryId id = MemoryId.of(args[3]);
            ChildSupport.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String content = line.substring("write ".length());
                m.update(id, MemoryUpdate.content(content));
                ChildSupport.println("WROTE " + content);
            }
        } catch (Throwable e) {
            ChildSupport.die(e);
        }
        System.exit(0);
    }
}
