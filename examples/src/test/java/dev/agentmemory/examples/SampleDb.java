package dev.agentmemory.examples;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.StoreQuery;
import dev.agentmemory.model.VersionQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What a sample left in its SQLite file, read back through the library after the sample closed it. */
record SampleDb(Map<String, String> contents, List<MemoryVersion> versions) {

    /** Reads the only store of workspace acme: every memory's content by path, and its versions oldest first. */
    static SampleDb read(Path database) {
        return read(database, Optional.empty());
    }

    /** Reads the store of workspace acme with this name. */
    static SampleDb read(Path database, String storeName) {
        return read(database, Optional.of(storeName));
    }

    private static SampleDb read(Path database, Optional<String> storeName) {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(database)).build()) {
            List<MemoryStore> stores = memory.workspace("acme").stores().list(StoreQuery.firstPage()).items().stream()
                    .filter(s -> storeName.isEmpty() || s.name().equals(storeName.get())).toList();
            if (stores.size() != 1) {
                throw new AssertionError("expected one store" + storeName.map(n -> " named " + n).orElse("")
                        + ", found " + stores);
            }
            Memories m = memory.workspace("acme").memories(stores.get(0).id(), Actor.user("test"));
            Map<String, String> contents = new TreeMap<>();
            for (ListEntry e : m.list(ListQuery.under("/").build()).items()) {
                contents.put(e.path(), m.getByPath(e.path()).text());
            }
            List<MemoryVersion> versions = new ArrayList<>(m.versions(VersionQuery.builder().limit(100).build()).items());
            Collections.reverse(versions); // the store lists newest first
            return new SampleDb(contents, versions);
        }
    }

    /** Each version as "actor-type operation path", oldest first. */
    List<String> history() {
        return versions.stream().map(v -> v.createdBy().type().wireName() + " " + v.operation().wireName() + " "
                + v.path().orElse("(none)")).toList();
    }
}
