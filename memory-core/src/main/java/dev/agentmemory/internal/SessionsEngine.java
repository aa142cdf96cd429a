package dev.agentmemory.internal;

import dev.agentmemory.model.ArchivedException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.LimitExceededException.Limit;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The sessions of one workspace: create, get, export and import. The API package wraps it as
 * {@code dev.agentmemory.Sessions}. Thread-safe: it holds no mutable state.
 */
public final class SessionsEngine {

    private final MemoryService svc;
    private final WorkspaceId workspaceId;

    SessionsEngine(MemoryService svc, WorkspaceId workspaceId) {
        this.svc = svc;
        this.workspaceId = workspaceId;
    }

    public SessionEngine create(List<AttachmentSpec> specs) {
        Objects.requireNonNull(specs, "attachments");
        int max = svc.limits().maxAttachments();
        if (specs.size() > max) {
            throw new LimitExceededException(Limit.ATTACHMENTS_PER_SESSION, specs.size(), max,
                    "attach fewer stores to one session");
        }
        Set<StoreId> ids = new HashSet<>();
        for (AttachmentSpec spec : specs) {
            Objects.requireNonNull(spec, "attachment");
            if (!ids.add(spec.storeId())) {
                throw new InvalidArgumentException("session.duplicate_store", "store " + spec.storeId()
                        + " is attached twice; attach each store once, with the access it needs");
            }
            StoreRules.checkLength(spec.instructions(), svc.limits().maxInstructionsChars(),
                    Limit.ATTACHMENT_INSTRUCTIONS_CHARS, "shorten the instructions for store " + spec.storeId());
            StoreRules.checkText(spec.instructions(), "instructions", "session.instructions", true);
        }
        List<Attachment> attachments = new ArrayList<>();
        Set<String> slugs = new HashSet<>();
        for (AttachmentSpec spec : specs) {
            MemoryStore store = svc.store(workspaceId, spec.storeId()).store();
            if (store.isArchived()) {
                throw new ArchivedException(store.id(), "attaching to a new session");
            }
            String slug = Slugs.unique(Slugs.of(store.name()), slugs);
            slugs.add(slug);
            attachments.add(new Attachment(store.id(), spec.access(), spec.instructions(), slug,
                    Attachment.MOUNT_ROOT + slug + "/", store.name(), store.description()));
        }
        SessionInfo info = new SessionInfo(new SessionId(svc.ids().next(SessionId.PREFIX)), workspaceId,
                attachments, svc.now());
        svc.backend().createSession(info);
        return new SessionEngine(svc, info);
    }

    public long exportAll(java.io.OutputStream out, dev.agentmemory.model.ProgressListener progress) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(progress, "progress");
        return new SessionLines(svc, workspaceId).export(out, progress);
    }

    public long importAll(java.io.InputStream in, dev.agentmemory.model.ProgressListener progress) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(progress, "progress");
        return new SessionLines(svc, workspaceId).importAll(in, progress);
    }

    public SessionEngine get(SessionId sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        SessionInfo info = svc.backend().findSession(sessionId)
                .filter(s -> s.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("session " + sessionId + " does not exist in workspace "
                        + workspaceId));
        return new SessionEngine(svc, info);
    }
}
