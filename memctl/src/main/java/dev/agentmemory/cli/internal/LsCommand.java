package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.agentmemory.Memories;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryPrefix;
import dev.agentmemory.model.Page;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memctl ls}: a store's memories under a directory. */
@Command(name = "ls", description = "List a store's memories under a directory, ordered by path.")
final class LsCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "DIR", arity = "0..1", defaultValue = "/",
            description = "The directory, e.g. /notes/ (default: /, the whole store).")
    String prefix;

    @Option(names = {"-d", "--depth"}, paramLabel = "N", defaultValue = "0",
            description = "0 lists the whole subtree (default); 1 lists only the directory's children, with"
                    + " subdirectories shown as DIR/.")
    int depth;

    @Override
    void run(Context ctx) {
        Memories memories = ctx.memories(ctx.store(store));
        String dir = prefix.endsWith("/") ? prefix : prefix + "/";
        ListQuery query = ListQuery.under(dir).depth(depth).limit(100).build();
        List<ListEntry> entries = new ArrayList<>();
        while (true) {
            Page<ListEntry> page = memories.list(query);
            entries.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                break;
            }
            query = query.page(page.nextCursor().get());
        }
        if (ctx.json()) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            for (ListEntry e : entries) {
                array.add(e instanceof Memory m ? Json.memory(m) : Json.prefix((MemoryPrefix) e));
            }
            ctx.printJson(array);
            return;
        }
        Table t = new Table("PATH", "SIZE", "UPDATED", "SHA256", "ID");
        for (ListEntry e : entries) {
            if (e instanceof Memory m) {
                t.row(m.path(), m.contentSizeBytes(), Table.time(m.updatedAt()), Table.shortSha(m.contentSha256()), m.id());
            } else {
                t.row(e.path(), "-", "-", "-", "-");
            }
        }
        t.print(ctx.io().out());
    }
}
