package dev.agentmemory.examples;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import dev.agentmemory.tool.MemoryTool;
import dev.agentmemory.tool.ToolResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Claude's memory tool ({@code memory_20250818}) without any SDK: hand each {@code tool_use} input to
 * {@link MemoryTool#execute(String)} and send {@link ToolResult#text()} back as the {@code tool_result}, with
 * {@code is_error} = {@link ToolResult#isError()}. Each store attached to the session is a directory
 * {@code /memories/<slug>/}; {@link MemoryTool#systemPrompt()} is the system prompt that tells the model so.
 */
public final class MemoryToolExample {

    /** The tool_use inputs a model might send, in order. */
    static final List<String> TOOL_USES = List.of(
            "{\"command\":\"view\",\"path\":\"/memories\"}",
            "{\"command\":\"create\",\"path\":\"/memories/user-preferences/prefs.md\",\"file_text\":\"Indent with tabs.\\n\"}",
            "{\"command\":\"str_replace\",\"path\":\"/memories/user-preferences/prefs.md\",\"old_str\":\"tabs\",\"new_str\":\"4 spaces\"}",
            "{\"command\":\"insert\",\"path\":\"/memories/user-preferences/prefs.md\",\"insert_line\":0,\"insert_text\":\"# Style\\n\"}",
            "{\"command\":\"view\",\"path\":\"/memories/user-preferences/prefs.md\"}",
            "{\"command\":\"view\",\"path\":\"/memories/../etc/passwd\"}");

    private MemoryToolExample() {
    }

    /**
     * Runs the example on a SQLite file.
     *
     * @param args an optional database file; a new temporary one otherwise
     * @throws IOException if the temporary directory cannot be created
     */
    public static void main(String[] args) throws IOException {
        run(args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("memory-tool").resolve("memory.db"),
                System.out);
    }

    /**
     * Runs every input of {@link #TOOL_USES} through the tool and prints each result.
     *
     * @param database the SQLite file (created if missing)
     * @param out where to print
     * @return the results, in order
     */
    public static List<ToolResult> run(Path database, PrintStream out) {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(database)).build()) {
            Workspace ws = memory.workspace("acme");
            MemoryStore prefs = ws.stores().create(NewStore.named("User preferences").build());
            Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(prefs.id())));
            MemoryTool tool = MemoryTool.of(session); // the store is /memories/user-preferences/
            out.println(tool.systemPrompt()); // send this as (part of) the system prompt

            List<ToolResult> results = TOOL_USES.stream().map(tool::execute).toList();
            for (int i = 0; i < results.size(); i++) {
                out.println("> " + TOOL_USES.get(i));
                out.println((results.get(i).isError() ? "[is_error] " : "") + results.get(i).text());
            }
            return results;
        }
    }
}
