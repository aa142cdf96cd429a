package dev.agentmemory.server;

import dev.agentmemory.Session;
import dev.agentmemory.server.internal.McpTools;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;

/**
 * A session's memory as an MCP server on standard input and output (the stdio transport), for MCP clients that start
 * their servers as processes ({@code memctl mcp --session sesn_...}). The tools and resources are those of the HTTP
 * endpoint: the memory tool's six commands, {@code history}, and {@code memory://<slug>/<path>} resources, all
 * through the session handle.
 */
public final class McpStdio {

    private McpStdio() {
    }

    /**
     * Serves until the input ends (the client closed it), then stops.
     *
     * @param session the session every call acts for
     * @param in the client's messages, one JSON-RPC message a line
     * @param out where the answers go; nothing else may write to it
     * @param version the version told to the client
     * @throws InterruptedException if interrupted while serving
     */
    public static void serve(Session session, InputStream in, OutputStream out, String version)
            throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        InputStream watched = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    ended.countDown();
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n < 0) {
                    ended.countDown();
                }
                return n;
            }
        };
        StdioServerTransportProvider transport = new StdioServerTransportProvider(McpJsonDefaults.getMapper(),
                watched, out);
        McpSyncServer server = new McpTools(exchange -> session).serve(transport, version);
        try {
            ended.await();
        } finally {
            server.closeGracefully();
        }
    }
}
