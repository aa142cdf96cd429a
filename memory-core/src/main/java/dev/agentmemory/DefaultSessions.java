package dev.agentmemory;

import dev.agentmemory.internal.SessionsEngine;
import dev.agentmemory.model.AttachmentSpec;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.model.SessionId;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/** The {@link Sessions} of one workspace: the service's engine seen through the API. Thread-safe. */
final class DefaultSessions implements Sessions {

    private final SessionsEngine engine;

    DefaultSessions(SessionsEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    public Session create(List<AttachmentSpec> attachments) {
        return new DefaultSession(engine.create(attachments));
    }

    @Override
    public Session get(SessionId sessionId) {
        return new DefaultSession(engine.get(sessionId));
    }

    @Override
    public long exportAll(OutputStream out, ProgressListener progress) {
        return engine.exportAll(out, progress);
    }

    @Override
    public long importAll(InputStream in, ProgressListener progress) {
        return engine.importAll(in, progress);
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
