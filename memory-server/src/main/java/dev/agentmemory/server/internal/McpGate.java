package dev.agentmemory.server.internal;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.Session;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.server.ApiKey;
import dev.agentmemory.server.ApiKeys;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The MCP endpoint at {@code /mcp} (Streamable HTTP): checks the API key and the session named by
 * {@code x-agent-memory-session-id} on every HTTP request (401 or 404 in the hosted error shape otherwise), then hands
 * the request to the MCP SDK's servlet transport with the session in its context. Requests to other paths pass on.
 */
public final class McpGate extends Handler.Wrapper {

    /** The endpoint's path. */
    public static final String PATH = "/mcp";
    private static final String SESSION_ATTRIBUTE = "dev.agentmemory.server.mcp.session";

    private final ApiKeys keys;
    private final AgentMemory memory;
    private final McpSyncServer mcp;

    /**
     * @param keys the API keys
     * @param memory the library
     * @param version the server's version, told to MCP clients
     */
    public McpGate(ApiKeys keys, AgentMemory memory, String version) {
        this.keys = keys;
        this.memory = memory;
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint(PATH)
                .contextExtractor(r -> McpTransportContext.create(Map.of(SESSION_ATTRIBUTE,
                        r.getAttribute(SESSION_ATTRIBUTE))))
                .build();
        this.mcp = new McpTools(exchange -> {
            Object s = exchange.transportContext().get(SESSION_ATTRIBUTE);
            if (s instanceof Session session) {
                return session;
            }
            throw new dev.agentmemory.error.NotFoundException("no session for this MCP request");
        }).serve(transport, version);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder("mcp", transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, PATH);
        setHandler(context);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (!path.equals(PATH)) {
            return false;
        }
        ApiError refused = null;
        try {
            String secret = request.getHeaders().get("x-api-key");
            String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (secret == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                secret = authorization.substring(7).strip();
            }
            ApiKey key = keys.authenticate(secret).orElseThrow(() -> ApiError.of(401, "authentication_error",
                    "an API key is required, in the x-api-key header or as Authorization: Bearer"));
            String sid = request.getHeaders().get(HttpFront.SESSION_HEADER);
            if (sid == null) {
                throw ApiError.invalid(HttpFront.SESSION_HEADER + " is required: the MCP endpoint acts for a session");
            }
            Session session = memory.workspace(key.workspaceId()).sessions().get(SessionId.of(sid));
            request.setAttribute(SESSION_ATTRIBUTE, session);
        } catch (ApiError | MemoryException e) {
            refused = Errors.from(e);
        }
        if (refused != null) {
            response.setStatus(refused.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(Wire.error(refused, "req_mcp").toString()
                    .getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
        return super.handle(request, response, callback);
    }

    @Override
    protected void doStop() throws Exception {
        mcp.closeGracefully();
        super.doStop();
    }
}
