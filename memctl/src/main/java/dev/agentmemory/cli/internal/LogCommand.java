package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.VersionQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl log}: a store's versions, newest first, with filters. */
@Command(name = "log", description = "List a store's versions, newest first, filtered by memory, session, actor,"
        + " operation and time.")
final class LogCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "MEMORY", arity = "0..1",
            description = "Only this memory's versions: its path or id (a deleted memory by id).")
    String memory;

    @Option(names = {"-s", "--session"}, paramLabel = "SESSION_ID", description = "Only versions a session wrote.")
    String session;

    @Option(names = "--by", paramLabel = "TYPE:ID", converter = Converters.AnyActor.class,
            description = "Only versions this actor wrote, e.g. user:alice.")
    Actor by;

    @Option(names = {"-o", "--operation"}, paramLabel = "OP",
            description = "Only this operation: created, modified or deleted.")
    Operation operation;

    @Option(names = "--since", paramLabel = "TIME", converter = Converters.InstantConverter.class,
            description = "Only versions at or after this time: 2026-11-25T10:00:00Z or 2026-11-25.")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = Converters.InstantConverter.class,
            description = "Only versions at or before this time.")
    Instant until;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100",
            description = "Show at most N versions (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void run(Context ctx) {
        if (limit < 1) {
            throw new CliException(ExitCode.USAGE, "--limit must be at least 1, not " + limit);
        }
        if (session != null && by != null) {
            throw new CliException(ExitCode.USAGE, "--session and --by both filter by actor; give one");
        }
        Memories memories = ctx.memories(ctx.store(store));
        VersionQuery.Builder q = VersionQuery.builder().limit(Math.min(limit, 100));
        if (memory != null) {
            q.memoryId(memory.startsWith(MemoryId.PREFIX) ? MemoryId.of(memory)
                    : memories.getByPath(memory).id());
        }
        if (session != null) {
            q.session(SessionId.of(session));
        }
        if (by != null) {
            q.actor(by);
        }
        if (operation != null) {
            q.operation(operation);
        }
        if (since != null) {
            q.createdAtOrAfter(since);
        }
        if (until != null) {
            q.createdAtOrBefore(until);
        }
        VersionQuery query = q.build();
        List<MemoryVersion> versions = new ArrayList<>();
        while (versions.size() < limit) {
            Page<MemoryVersion> page = memories.versions(query);
            versions.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                break;
            }
            query = query.page(page.nextCursor().get());
        }
        if (versions.size() > limit) {
            versions = versions.subList(0, limit);
        }
        if (ctx.json()) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            versions.forEach(v -> array.add(Json.version(v)));
            ctx.printJson(array);
            return;
        }
        Table t = new Table("VERSION", "CREATED", "OPERATION", "ACTOR", "PATH", "SIZE", "SHA256");
        for (MemoryVersion v : versions) {
            t.row(v.id(), Table.time(v.createdAt()), v.operation().wireName(), Converters.format(v.createdBy()),
                    v.isRedacted() ? "(redacted)" : v.path().orElse("-"),
                    v.contentSizeBytes().map(Object::toString).orElse("-"),
                    Table.shortSha(v.contentSha256().orElse(null)));
        }
        t.print(ctx.io().out());
    }
}
