package dev.agentmemory;

import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import java.util.List;

/**
 * One agent run's handle on its attached stores. Every write through it is a version attributed to the session, and
 * read-only attachments refuse every write. A session sees only its own attachments. Thread-safe.
 *
 * <pre>{@code
 * Session session = workspace.sessions().create(List.of(
 *         AttachmentSpec.readOnly(conventions.id()),
 *         AttachmentSpec.readWrite(notes.id()).withInstructions("Record what you learn about the build.")));
 * String prompt = session.systemPrompt();
 * session.mount("project-notes").create("/build.md", "Use mvn -B verify.");
 * }</pre>
 */
public interface Session {

    /**
     * Returns the session's id.
     *
     * @return the id
     */
    SessionId id();

    /**
     * Returns the session's record: workspace, attachments and creation time.
     *
     * @return the record
     */
    SessionInfo info();

    /**
     * Returns the attachments, in the order they were given.
     *
     * @return the attachments
     */
    default List<Attachment> attachments() {
        return info().attachments();
    }

    /**
     * Returns the memories of one mount, by its slug (the directory under {@code /mnt/memory/}).
     *
     * @param slug for example {@code project-notes}
     * @return the mount's memories, with the attachment's access
     * @throws NotFoundException if no attachment has that slug
     */
    Memories mount(String slug);

    /**
     * Returns the memories of one attached store.
     *
     * @param storeId the store
     * @return its memories, with the attachment's access
     * @throws NotFoundException if the store is not attached to this session
     */
    Memories mount(StoreId storeId);

    /**
     * Renders the system-prompt section that tells the agent about its memory: each mount's path
     * ({@code /mnt/memory/<slug>/}, the paths of the file views), access, the store's name and description (as
     * snapshot when the session was created), and the attachment's instructions. Archived stores are shown as
     * read-only. An agent that reaches its memory through the Claude memory tool sees other paths
     * ({@code /memories/<slug>/}): give it {@link dev.agentmemory.tool.MemoryTool#systemPrompt()} instead.
     *
     * @return the section, in Markdown
     */
    String systemPrompt();
}
