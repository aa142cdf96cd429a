package dev.agentmemory.server.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.Session;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.VersionQuery;
import dev.agentmemory.tool.MemoryTool;
import dev.agentmemory.tool.ToolResult;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.util.DefaultMcpUriTemplateManagerFactory;
import io.modelcontextprotocol.util.McpUriTemplateManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A session's memory as MCP tools and resources, over either transport: the memory tool's six commands ({@code view},
 * {@code create}, {@code str_replace}, {@code insert}, {@code delete}, {@code rename}) with its exact result strings,
 * {@code history} for a file's versions, and each mount as resources {@code memory://<slug>/<path>}. Every call goes
 * through the session handle, so read-only attachments refuse writes and writes are the session's versions.
 * Thread-safe.
 */
public final class McpTools {

    /** The URI scheme of memory resources. */
    public static final String SCHEME = "memory://";


    private final Function<McpSyncServerExchange, Session> sessions;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();

    /**
     * @param sessions finds the session a request acts for (from the HTTP request's context, or the one session of a
     *     stdio launcher); throws a {@link MemoryException} if there is none
     */
    public McpTools(Function<McpSyncServerExchange, Session> sessions) {
        this.sessions = sessions;
    }

    /**
     * Builds a server on a Streamable HTTP transport.
     *
     * @param transport the transport
     * @param version the server's version
     * @return the server, running
     */
    public McpSyncServer serve(McpStreamableServerTransportProvider transport, String version) {
        return configured(McpServer.sync(transport), version);
    }

    /**
     * Builds a server on a single-session transport such as stdio.
     *
     * @param transport the transport
     * @param version the server's version
     * @return the server, running
     */
    public McpSyncServer serve(McpServerTransportProvider transport, String version) {
        return configured(McpServer.sync(transport), version);
    }

    /** The one configuration of both transports' servers: name, JSON, instructions, tools and resources. */
    private McpSyncServer configured(McpServer.SyncSpecification<?> spec, String version) {
        return spec.serverInfo("agent-memory", version).jsonMapper(json)
                .instructions(INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
                .uriTemplateManagerFactory(McpTools::templates)
                .tools(tools()).resourceTemplates(resources()).build();
    }

    private static final String INSTRUCTIONS = "Your durable memory: each attached store is a directory"
            + " /memories/<slug>/; read-only ones refuse writes. View it before doing anything else, record what you"
            + " learn, keep files small and topical.";

    List<SyncToolSpecification> tools() {
        List<SyncToolSpecification> out = new ArrayList<>();
        out.add(tool("view", "Show a directory of /memories two levels deep, or a file with line numbers.",
                "\"path\":{\"type\":\"string\"},\"view_range\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"},"
                        + "\"minItems\":2,\"maxItems\":2}", "\"path\"", true));
        out.add(tool("create", "Create a file under /memories; never overwrites.",
                "\"path\":{\"type\":\"string\"},\"file_text\":{\"type\":\"string\"}", "\"path\",\"file_text\"", false));
        out.add(tool("str_replace", "Replace the one occurrence of old_str in a file.",
                "\"path\":{\"type\":\"string\"},\"old_str\":{\"type\":\"string\"},\"new_str\":{\"type\":\"string\"}",
                "\"path\",\"old_str\"", false));
        out.add(tool("insert", "Insert text after line insert_line (0 = at the top).",
                "\"path\":{\"type\":\"string\"},\"insert_line\":{\"type\":\"integer\"},\"insert_text\":"
                        + "{\"type\":\"string\"}", "\"path\",\"insert_line\",\"insert_text\"", false));
        out.add(tool("delete", "Delete a file, or a directory with everything under it.",
                "\"path\":{\"type\":\"string\"}", "\"path\"", false));
        out.add(tool("rename", "Rename a file or move a directory; the destination must not exist.",
                "\"old_path\":{\"type\":\"string\"},\"new_path\":{\"type\":\"string\"}", "\"old_path\",\"new_path\"",
                false));
        out.add(SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name("history")
                        .description("List a file's versions, newest first: id, operation, who, when, SHA-256.")
                        .inputSchema(json, schema("\"path\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\","
                                + "\"minimum\":1,\"maximum\":100}", "\"path\""))
                        .annotations(new McpSchema.ToolAnnotations(null, true, false, true, false, null))
                        .build())
                .callHandler((exchange, request) -> guarded(() -> history(exchange, request.arguments())))
                .build());
        return out;
    }

    private SyncToolSpecification tool(String command, String description, String properties, String required,
            boolean readOnly) {
        return SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(command).description(description)
                        .inputSchema(json, schema(properties, required))
                        .annotations(new McpSchema.ToolAnnotations(null, readOnly, !readOnly && command.equals("delete"),
                                readOnly, false, null))
                        .build())
                .callHandler((exchange, request) -> guarded(() -> {
                    Map<String, Object> input = new LinkedHashMap<>(request.arguments() == null ? Map.of()
                            : request.arguments());
                    input.put("command", command);
                    ToolResult r = MemoryTool.of(sessions.apply(exchange)).execute(input);
                    return CallToolResult.builder().addTextContent(r.text()).isError(r.isError()).build();
                }))
                .build();
    }

    private static String schema(String properties, String required) {
        return "{\"type\":\"object\",\"properties\":{" + properties + "},\"required\":[" + required
                + "],\"additionalProperties\":false}";
    }

    private CallToolResult history(McpSyncServerExchange exchange, Map<String, Object> args) {
        Session session = sessions.apply(exchange);
        Object rawPath = args == null ? null : args.get("path");
        int slash = rawPath instanceof String p && p.startsWith("/memories/") ? p.indexOf('/', "/memories/".length())
                : -1;
        if (slash < 0) {
            return CallToolResult.builder().addTextContent("Error: path must be a file under /memories/<mount>/")
                    .isError(true).build();
        }
        String path = (String) rawPath;
        Memories mems = session.mount(path.substring("/memories/".length(), slash));
        int limit = args.get("limit") instanceof Number n ? n.intValue() : 20;
        Optional<Memory> m = mems.findByPath(path.substring(slash));
        if (m.isEmpty()) {
            return CallToolResult.builder().addTextContent("The path " + path
                    + " does not exist. Please provide a valid path.").isError(true).build();
        }
        Page<MemoryVersion> page = mems.versions(VersionQuery.ofMemory(m.get().id()).limit(limit).build());
        StringBuilder b = new StringBuilder("Versions of " + path + ", newest first:\n");
        for (MemoryVersion v : page.items()) {
            b.append(v.id().value()).append('\t').append(v.operation().wireName()).append('\t')
                    .append(v.createdBy().type().wireName()).append(':').append(v.createdBy().id()).append('\t')
                    .append(v.createdAt()).append('\t')
                    .append(v.isRedacted() ? "redacted" : v.contentSha256().orElse("-")).append('\n');
        }
        return CallToolResult.builder().addTextContent(b.toString()).build();
    }

    /**
     * Matches resource URIs against templates, with {@code {+path}} (RFC 6570 reserved expansion) standing for a
     * memory's path, slashes included; the SDK's own matcher takes no slash inside a variable.
     */
    static McpUriTemplateManager templates(String template) {
        int plus = template.indexOf("{+");
        if (plus < 0) {
            return new DefaultMcpUriTemplateManagerFactory().create(template);
        }
        String name = template.substring(plus + 2, template.indexOf('}', plus));
        McpUriTemplateManager head = new DefaultMcpUriTemplateManagerFactory().create(template.substring(0, plus));
        return new McpUriTemplateManager() {
            @Override
            public List<String> getVariableNames() {
                List<String> names = new ArrayList<>(head.getVariableNames());
                names.add(name);
                return names;
            }

            @Override
            public Map<String, String> extractVariableValues(String uri) {
                Map<String, String> out = new LinkedHashMap<>();
                if (matches(uri)) {
                    int slash = uri.indexOf('/', SCHEME.length());
                    out.putAll(head.extractVariableValues(uri.substring(0, slash + 1)));
                    out.put(name, uri.substring(slash + 1));
                }
                return out;
            }

            @Override
            public boolean matches(String uri) {
                int slash = uri.startsWith(SCHEME) ? uri.indexOf('/', SCHEME.length()) : -1;
                return slash > SCHEME.length() && head.matches(uri.substring(0, slash + 1));
            }

            @Override
            public boolean isUriTemplate(String uri) {
                return true;
            }
        };
    }

    List<SyncResourceTemplateSpecification> resources() {
        return List.of(new SyncResourceTemplateSpecification(
                McpSchema.ResourceTemplate.builder().uriTemplate(SCHEME + "{mount}/{+path}").name("memory")
                        .title("A memory of an attached store")
                        .description("memory://<slug>/ lists a mount's files; memory://<slug>/<path> is one file")
                        .mimeType("text/plain").build(),
                (exchange, request) -> read(sessions.apply(exchange), request.uri())));
    }

    private McpSchema.ReadResourceResult read(Session session, String uri) {
        if (!uri.startsWith(SCHEME)) {
            throw new dev.agentmemory.error.InvalidArgumentException("resource.uri", "not a memory:// URI: " + uri);
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String slug = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        Memories mems = session.mount(slug);
        String text;
        if (path.endsWith("/")) {
            StringBuilder b = new StringBuilder();
            ListQuery q = ListQuery.builder().pathPrefix(path).limit(100).build();
            while (true) {
                Page<ListEntry> page = mems.list(q);
                page.items().forEach(e -> b.append(e.path()).append('\n'));
                if (page.nextCursor().isEmpty()) {
                    break;
                }
                q = q.page(page.nextCursor().get());
            }
            text = b.toString();
        } else {
            text = mems.getByPath(path).text();
        }
        return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, "text/plain", text)));
    }

    private static CallToolResult guarded(java.util.function.Supplier<CallToolResult> call) {
        try {
            return call.get();
        } catch (MemoryException e) {
            return CallToolResult.builder().addTextContent("Error: " + e.getMessage()).isError(true).build();
        }
    }
}
