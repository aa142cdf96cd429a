package dev.agentmemory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.tool.ToolResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryToolExampleTest {

    @Test
    void eachCallGetsTheToolsTextAndTheStoreHoldsTheEditedFile(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path db = dir.resolve("memory.db");
        List<ToolResult> results = MemoryToolExample.run(db, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(results).extracting(ToolResult::isError).containsExactly(false, false, false, false, false, true);
        assertThat(results.get(1).text()).isEqualTo("File created successfully at: /memories/user-preferences/prefs.md");
        assertThat(results.get(3).text()).isEqualTo("The file /memories/user-preferences/prefs.md has been edited.");
        assertThat(results.get(4).text()).isEqualTo("Here's the content of /memories/user-preferences/prefs.md with line numbers:\n"
                + "     1\t# Style\n     2\tIndent with 4 spaces.");
        assertThat(results.get(5).text()).startsWith(
                "Error: The path /memories/../etc/passwd is not allowed: it contains a '..' segment.");
        SampleDb after = SampleDb.read(db);
        assertThat(after.contents()).isEqualTo(Map.of("/prefs.md", "# Style\nIndent with 4 spaces.\n"));
        assertThat(after.history()).containsExactly("session_actor created /prefs.md",
                "session_actor modified /prefs.md", "session_actor modified /prefs.md");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("[is_error] Error: The path /memories/../etc")
                .contains("## /memories/user-preferences/\n\n- Access: read-write");
    }
}
