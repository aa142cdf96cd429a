package dev.agentmemory.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.error.ConflictException;
import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.ProgressListener;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import dev.agentmemory.model.WorkspaceId;
import dev.agentmemory.spi.MemoryBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Export and import of a workspace's sessions as JSON Lines: one {@code session} line per session with its
 * attachments, field names as in the hosted API's session resources. Import checks every line before it writes.
 */
final class SessionLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PAGE = 200;

    private final MemoryService svc;
    private final WorkspaceId workspaceId;

    SessionLines(MemoryService svc, WorkspaceId workspaceId) {
        this.svc = svc;
        this.workspaceId = workspaceId;
    }

    long export(OutputStream out, ProgressListener progress) {
        MemoryBackend backend = svc.backend();
        long n = 0;
        try {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            Optional<SessionId> after = Optional.empty();
            while (true) {
                List<SessionInfo> page = backend.listSessions(workspaceId, after, PAGE);
                for (SessionInfo s : page) {
                    writer.write(line(s));
                    writer.write('\n');
                    n++;
                }
                progress.progress("sessions", n, -1);
                if (page.size() < PAGE) {
                    break;
                }
                after = Optional.of(page.get(page.size() - 1).id());
            }
            writer.flush();
        } catch (IOException e) {
            throw new StorageException("export of the sessions of workspace " + workspaceId + " failed while writing: "
                    + e.getMessage(), e);
        }
        progress.progress("sessions", n, n);
        return n;
    }

    private static String line(SessionInfo s) throws IOException {
        java.io.StringWriter sw = new java.io.StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(sw)) {
            g.writeStartObject();
            g.writeStringField("type", "session");
            g.writeStringField("id", s.id().value());
            g.writeStringField("workspace_id", s.workspaceId().value());
            g.writeStringField("created_at", s.createdAt().toString());
            g.writeArrayFieldStart("attachments");
            for (Attachment a : s.attachments()) {
                g.writeStartObject();
                g.writeStringField("memory_store_id", a.storeId().value());
                g.writeStringField("access", a.access().wireName());
                g.writeStringField("instructions", a.instructions());
                g.writeStringField("slug", a.slug());
                g.writeStringField("mount_path", a.mountPath());
                g.writeStringField("name", a.storeName());
                g.writeStringField("description", a.storeDescription());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return sw.toString();
    }

    long importAll(InputStream in, ProgressListener progress) {
        List<SessionInfo> sessions = new ArrayList<>();
        Set<SessionId> ids = new HashSet<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        int lineNo = 0;
        try {
            String text;
            while ((text = reader.readLine()) != null) {
                lineNo++;
                if (text.isBlank()) {
                    continue;
                }
                SessionInfo s = parse(text, lineNo);
                if (!ids.add(s.id())) {
                    throw bad(lineNo, "session " + s.id() + " appears twice");
                }
                sessions.add(s);
            }
        } catch (IOException e) {
            throw new InvalidArgumentException("import.malformed", "the session import could not be read at line "
                    + (lineNo + 1) + ": " + e.getMessage() + "; nothing was imported");
        }
        MemoryBackend backend = svc.backend();
        List<SessionInfo> fresh = new ArrayList<>();
        for (SessionInfo s : sessions) {
            Optional<SessionInfo> existing = backend.findSession(s.id());
            if (existing.isEmpty()) {
                fresh.add(s);
            } else if (!existing.get().equals(s)) {
                throw new ConflictException("session " + s.id() + " exists already with other attachments or"
                        + " another workspace; nothing was imported");
            }
        }
        long done = 0;
        for (SessionInfo s : fresh) {
            backend.createSession(s);
            progress.progress("sessions", ++done, fresh.size());
        }
        progress.progress("sessions", done, fresh.size());
        return done;
    }

    private SessionInfo parse(String text, int lineNo) {
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw bad(lineNo, "not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject() || !"session".equals(n.path("type").asText())) {
            throw bad(lineNo, "expected a session line");
        }
        String ws = text(n, "workspace_id", lineNo);
        if (!ws.equals(workspaceId.value())) {
            throw bad(lineNo, "the session belongs to workspace '" + ws + "', not to '" + workspaceId
                    + "'; import it into that workspace");
        }
        JsonNode arr = n.get("attachments");
        if (arr == null || !arr.isArray()) {
            throw bad(lineNo, "attachments must be an array");
        }
        List<Attachment> attachments = new ArrayList<>();
        for (JsonNode a : arr) {
            String access = text(a, "access", lineNo);
            Access acc = switch (access) {
                case "read_write" -> Access.READ_WRITE;
                case "read_only" -> Access.READ_ONLY;
                default -> throw bad(lineNo, "access must be read_write or read_only, not " + access);
            };
            try {
                attachments.add(new Attachment(StoreId.of(text(a, "memory_store_id", lineNo)), acc,
                        text(a, "instructions", lineNo), text(a, "slug", lineNo), text(a, "mount_path", lineNo),
                        text(a, "name", lineNo), text(a, "description", lineNo)));
            } catch (IllegalArgumentException e) {
                throw bad(lineNo, e.getMessage());
            }
        }
        try {
            return new SessionInfo(SessionId.of(text(n, "id", lineNo)), workspaceId, attachments,
                    Instant.parse(text(n, "created_at", lineNo)));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw bad(lineNo, e.getMessage());
        }
    }

    private static String text(JsonNode n, String field, int lineNo) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(lineNo, field + " must be a string");
        }
        return v.asText();
    }

    private static InvalidArgumentException bad(int lineNo, String what) {
        return new InvalidArgumentException("import.malformed", "session import line " + lineNo + ": " + what
                + "; nothing was imported");
    }
}
