package dev.agentmemory.examples;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.BetaToolRunner;
import com.anthropic.models.beta.messages.BetaMemoryTool20250818;
import com.anthropic.models.beta.messages.BetaMessage;
import com.anthropic.models.beta.messages.MessageCreateParams;
import com.anthropic.models.beta.messages.ToolRunnerCreateParams;
import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.anthropic.StoreMemoryToolHandler;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Claude with two memory stores, through the Anthropic Java SDK: a read-write "User preferences" store and a read-only
 * "Team handbook". The SDK's {@link BetaToolRunner} loops over the conversation and answers every {@code memory} tool
 * call with one {@link StoreMemoryToolHandler} over the whole session: Claude reads the handbook under
 * {@code /memories/team-handbook/}, and what it writes under {@code /memories/user-preferences/} lands in that store
 * as versions attributed to the session. The system prompt is the handler's, so it names exactly those paths.
 *
 * <p>{@link #main} needs {@code ANTHROPIC_API_KEY} (and calls the real API); {@link #run} takes any client.
 */
public final class SdkRunnerExample {

    /** The model the example asks for. */
    public static final String MODEL = "claude-sonnet-4-5";

    private SdkRunnerExample() {
    }

    /**
     * Asks Claude, with a fresh store, to remember something.
     *
     * @param args an optional database file; a new temporary one otherwise
     * @throws IOException if the temporary directory cannot be created
     */
    public static void main(String[] args) throws IOException {
        if (System.getenv("ANTHROPIC_API_KEY") == null) {
            System.err.println("SdkRunnerExample calls the Anthropic API: set ANTHROPIC_API_KEY first");
            System.exit(2);
        }
        Path database = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("sdk").resolve("memory.db");
        AnthropicClient client = AnthropicOkHttpClient.fromEnv();
        try {
            run(client, database, "Remember that I prefer tabs over spaces.", System.out);
        } finally {
            client.close();
        }
    }

    /**
     * Runs one conversation to its end with two memory stores attached: "User preferences" read-write and a seeded
     * "Team handbook" read-only.
     *
     * @param client the SDK client (the real API, or any server that speaks the Messages API)
     * @param database the SQLite file (created if missing)
     * @param userMessage what the user says
     * @param out where to print Claude's turns
     * @return every assistant turn, in order
     */
    public static List<BetaMessage> run(AnthropicClient client, Path database, String userMessage, PrintStream out) {
        try (AgentMemory memory = AgentMemory.builder().backend(JdbcBackend.sqlite(database)).build()) {
            Workspace ws = memory.workspace("acme");
            MemoryStore prefs = ws.stores().create(NewStore.named("User preferences").build());
            MemoryStore handbook = ws.stores().create(NewStore.named("Team handbook").build());
            ws.memories(handbook.id(), Actor.apiKey("apikey_ops")).create("/style.md", "Indent with tabs.\n");
            Session session = ws.sessions().create(List.of(
                    AttachmentSpec.readWrite(prefs.id()).withInstructions("Keep the user's preferences here."),
                    AttachmentSpec.readOnly(handbook.id())));

            StoreMemoryToolHandler memoryTool = StoreMemoryToolHandler.of(session); // both stores, under /memories
            BetaToolRunner runner = client.beta().messages().toolRunner(ToolRunnerCreateParams.builder()
                    .initialMessageParams(MessageCreateParams.builder()
                            .model(MODEL)
                            .maxTokens(1024)
                            .system(memoryTool.systemPrompt()) // names /memories/<slug>/, access, instructions
                            .addTool(BetaMemoryTool20250818.builder().build())
                            .addUserMessage(userMessage)
                            .build())
                    .betaMemoryToolHandler(memoryTool)
                    .build());
            List<BetaMessage> turns = new ArrayList<>();
            for (BetaMessage turn : runner) { // the runner answers each memory tool_use before the next turn
                turns.add(turn);
                turn.content().forEach(block -> block.text().ifPresent(t -> out.println("Claude: " + t.text())));
                turn.content().forEach(block -> block.toolUse().ifPresent(t -> out.println("tool_use: " + t._input())));
            }
            return turns;
        }
    }
}
