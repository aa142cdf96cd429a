package dev.agentmemory.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.Session;
import dev.agentmemory.Workspace;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryToolSmokeTest {

    @Test
    void smoke() {
        try (AgentMemory memory = AgentMemory.builder().backend(InMemoryBackend.create()).build()) {
            Workspace ws = memory.workspace("acme");
            MemoryStore store = ws.stores().create(NewStore.named("Notes").build());
            Session session = ws.sessions().create(List.of(AttachmentSpec.readWrite(store.id())));
            MemoryTool tool = MemoryTool.of(session);
            System.out.println(tool.execute("{\"command\":\"view\",\"path\":\"/memories\"}"));
            System.out.println(tool.execute("{\"command\":\"create\",\"path\":\"/memories/a/b.md\",\"file_text\":\"one\\ntwo\\nthree\\n\"}"));
            System.out.println(tool.execute("{\"command\":\"create\",\"path\":\"/memories/top.md\",\"file_text\":\"x\"}"));
            System.out.println(tool.execute("{\"command\":\"view\",\"path\":\"/memories\"}"));
            System.out.println(tool.execute("{\"command\":\"view\",\"path\":\"/memories/a/b.md\"}"));
            System.out.println(tool.execute("{\"command\":\"str_replace\",\"path\":\"/memories/a/b.md\",\"old_str\":\"two\",\"new_str\":\"$&2\"}"));
            System.out.println(tool.execute("{\"command\":\"insert\",\"path\":\"/memories/a/b.md\",\"insert_line\":0,\"insert_text\":\"zero\"}"));
            System.out.println(tool.execute("{\"command\":\"view\",\"path\":\"/memories/a/b.md\",\"view_range\":[2,-1]}"));
            System.out.println(tool.execute("{\"command\":\"rename\",\"old_path\":\"/memories/a\",\"new_path\":\"/memories/c\"}"));
            System.out.println(tool.execute("{\"command\":\"view\",\"path\":\"/memories/../x\"}"));
            System.out.println(tool.execute("{\"command\":\"delete\",\"path\":\"/memories/c\"}"));
            System.out.println(tool.execute("{\"command\":\"view\",\"path\":\"/memories/\"}"));
            assertThat(tool).isNotNull();
        }
    }
}
