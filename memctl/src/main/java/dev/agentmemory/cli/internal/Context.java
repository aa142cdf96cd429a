package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Memories;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.StoreAdmin;
import dev.agentmemory.Workspace;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.jdbc.OpenMode;
import dev.agentmemory.jdbc.SchemaException;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.StoreQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What one command works with: the opened library, the workspace, the actor, the streams and the output mode. Resolves
 * stores by id or unique name and memories by path or id. Closing it closes the database.
 */
final class Context implements AutoCloseable {

    private final Io io;
    private final boolean json;
    private final AgentMemory memory;
    private final Workspace workspace;
    private final Actor actor;

    private Context(Io io, boolean json, AgentMemory memory, String workspace, Actor actor) {
        this.io = io;
        this.json = json;
        this.memory = memory;
        this.actor = actor;
        try {
            this.workspace = memory.workspace(workspace);
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    /**
     * Opens a SQLite file. Without {@code create} the file must already be an agent-memory database; with it a
     * missing (or empty) file is created, but a file holding anything else is still opened only if it is one, so
     * another application's database never gets agent-memory's tables.
     */
    static Context sqlite(Io io, boolean json, Path file, String workspace, Actor actor, boolean create) {
        if (Files.isDirectory(file)) {
            throw new CliException(ExitCode.STORAGE, "--db " + file + " is a directory; give the database file");
        }
        boolean fresh = !Files.exists(file) || isEmpty(file);
        if (!Files.exists(file) && !create) {
            throw new CliException(ExitCode.NOT_FOUND, "no database at " + file + " (nothing was created); check"
                    + " --db (or $AGENT_MEMORY_DB), or create one with 'memctl --db " + file + " init'");
        }
        OpenMode mode = fresh && create ? OpenMode.CREATE : OpenMode.EXISTING;
        return new Context(io, json, AgentMemory.builder()
                .backend(open(() -> JdbcBackend.sqlite(file, mode), "check --db " + file + ". memctl never adds its"
                        + " tables to a file that holds anything else: give 'memctl init' a new file"))
                .build(), workspace, actor);
    }

    static Context postgres(Io io, boolean json, String url, String user, String password, String workspace,
            Actor actor, boolean create) {
        OpenMode mode = create ? OpenMode.CREATE : OpenMode.EXISTING;
        return new Context(io, json, AgentMemory.builder()
                .backend(open(() -> JdbcBackend.postgres(url, user, password, mode), "check --url (and the"
                        + " schema on its search path), or install the schema there with 'memctl --url URL init'"))
                .build(), workspace, actor);
    }

    /** Adds what to do in memctl's terms to the library's refusal of a database that is not agent-memory's. */
    private static JdbcBackend open(java.util.function.Supplier<JdbcBackend> opener, String whatToDo) {
        try {
            return opener.get();
        } catch (SchemaException e) {
            if (e.getMessage().contains("not an agent-memory database")) {
                throw new CliException(ExitCode.STORAGE, e.getMessage().replaceAll(";.*$", "") + "; " + whatToDo);
            }
            throw e;
        }
    }

    private static boolean isEmpty(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    Io io() {
        return io;
    }

    boolean json() {
        return json;
    }

    AgentMemory memory() {
        return memory;
    }

    Workspace workspace() {
        return workspace;
    }

    StoreAdmin admin() {
        return workspace.stores();
    }

    Actor actor() {
        return actor;
    }

    /**
     * Finds a store by id ({@code memstore_...}) or by its name, which must then be unique in the workspace.
     *
     * @param ref the id or name
     * @return the store, archived or not
     */
    MemoryStore store(String ref) {
        if (ref.startsWith(StoreId.PREFIX)) {
            return admin().get(StoreId.of(ref));
        }
        List<MemoryStore> named = allStores(true).stream().filter(s -> s.name().equals(ref)).toList();
        if (named.isEmpty()) {
            throw new NotFoundException("no store named '" + ref + "' in workspace '" + workspace.id()
                    + "'; 'memctl stores list --archived' shows the stores");
        }
        if (named.size() > 1) {
            throw new CliException(ExitCode.AMBIGUOUS, "the store name '" + ref + "' is ambiguous: "
                    + named.stream().map(s -> s.id().value()).collect(Collectors.joining(", "))
                    + "; give one of these ids instead");
        }
        return named.get(0);
    }

    List<MemoryStore> allStores(boolean includeArchived) {
        List<MemoryStore> all = new ArrayList<>();
        StoreQuery query = StoreQuery.builder().includeArchived(includeArchived).limit(100).build();
        while (true) {
            Page<MemoryStore> page = admin().list(query);
            all.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                return all;
            }
            query = query.page(page.nextCursor().get());
        }
    }

    /**
     * Returns a store's memories, written as the actor.
     *
     * @param store the store
     * @return its memories
     */
    Memories memories(MemoryStore store) {
        return workspace.memories(store.id(), actor);
    }

    /**
     * Finds a memory by id ({@code mem_...}) or path.
     *
     * @param memories the store's memories
     * @param ref the id or path
     * @return the memory, with content
     */
    static Memory memory(Memories memories, String ref) {
        if (ref.startsWith(MemoryId.PREFIX)) {
            return memories.get(MemoryId.of(ref));
        }
        return memories.getByPath(ref);
    }

    /**
     * Prints a JSON value on standard output, on one line.
     *
     * @param value the value
     */
    void printJson(JsonNode value) {
        io.out().println(Json.write(value));
    }

    @Override
    public void close() {
        memory.close();
    }
}
