package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.PolicyEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl policy-events}: the writes write policies refused or held, newest first. */
@Command(name = "policy-events", description = "List the writes a write policy blocked or held for review in a store,"
        + " newest first: who, which path, which policy and rule, when (never the content).")
final class PolicyEventsCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100",
            description = "Show at most N events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void run(Context ctx) {
        if (limit < 1) {
            throw new CliException(ExitCode.USAGE, "--limit must be at least 1, not " + limit);
        }
        MemoryStore s = ctx.store(store);
        List<PolicyEvent> events = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<PolicyEvent> page = ctx.admin().policyEvents(s.id(), cursor, Math.min(limit, 100));
            events.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor.isPresent() && events.size() < limit);
        if (events.size() > limit) {
            events = events.subList(0, limit);
        }
        if (ctx.json()) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            for (PolicyEvent e : events) {
                ObjectNode n = array.addObject();
                n.put("id", e.id());
                n.put("store_id", e.storeId().value());
                n.put("path", e.path());
                n.set("actor", Json.actor(e.actor()));
                n.put("outcome", e.outcome().wireName());
                n.put("policy", e.policy());
                n.put("rule", e.rule());
                n.put("created_at", e.createdAt().toString());
            }
            ctx.printJson(array);
            return;
        }
        Table t = new Table("EVENT", "CREATED", "OUTCOME", "ACTOR", "PATH", "POLICY", "RULE");
        for (PolicyEvent e : events) {
            t.row(e.id(), Table.time(e.createdAt()), e.outcome().wireName(), Converters.format(e.actor()), e.path(),
                    e.policy(), e.rule());
        }
        t.print(ctx.io().out());
    }
}
