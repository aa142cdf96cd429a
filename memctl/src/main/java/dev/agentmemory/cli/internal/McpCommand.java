package dev.agentmemory.cli.internal;

import dev.agentmemory.model.SessionId;
import dev.agentmemory.server.McpStdio;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code memctl mcp --session sesn_...}: serves a session's memory to an MCP client over standard input and output.
 * Everything memctl would print goes to stderr; stdout carries only the protocol.
 */
@Command(name = "mcp", description = {"Serve a session's memory as an MCP server on stdin/stdout (the stdio transport).",
    "Tools: view, create, str_replace, insert, delete, rename, history; resources memory://<slug>/<path>."})
final class McpCommand extends BaseCommand {

    @Option(names = "--session", required = true, paramLabel = "SESSION_ID",
            description = "The session (sesn_...) whose attached stores the tools act on; writes are its versions.")
    String session;

    @Override
    void run(Context ctx) throws Exception {
        String version = java.util.Objects.requireNonNullElse(
                McpCommand.class.getPackage().getImplementationVersion(), "dev");
        McpStdio.serve(ctx.workspace().sessions().get(SessionId.of(session)), ctx.io().in(), ctx.io().out(),
                version);
    }
}
