package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.NewStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memctl stores}: list, create, archive and delete stores. */
@Command(name = "stores", description = "List, create, archive and delete stores.",
        subcommands = {StoresCommand.ListStores.class, StoresCommand.Create.class, StoresCommand.Archive.class,
            StoresCommand.Delete.class})
final class StoresCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: list, create, archive or delete");
    }

    static void printStores(Context ctx, List<MemoryStore> stores) {
        if (ctx.json()) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            stores.forEach(s -> array.add(Json.store(s)));
            ctx.printJson(array);
            return;
        }
        Table t = new Table("ID", "NAME", "CREATED", "ARCHIVED", "DESCRIPTION");
        for (MemoryStore s : stores) {
            t.row(s.id(), s.name(), Table.time(s.createdAt()), s.archivedAt().map(Table::time).orElse("-"),
                    Table.truncate(s.description(), 50));
        }
        t.print(ctx.io().out());
    }

    /** {@code memctl stores list}. */
    @Command(name = "list", description = "List the workspace's stores, newest first.")
    static final class ListStores extends BaseCommand {
        @Option(names = {"-a", "--archived"}, description = "Include archived stores.")
        boolean archived;

        @Override
        void run(Context ctx) {
            printStores(ctx, ctx.allStores(archived));
        }
    }

    /** {@code memctl stores create}. */
    @Command(name = "create", description = "Create a store and print its id.")
    static final class Create extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The store's name (1 to 255 characters).")
        String name;

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT", description = "What the store holds; agents"
                + " see it in their prompt.")
        String description = "";

        @Option(names = {"-m", "--metadata"}, paramLabel = "KEY=VALUE", description = "A metadata pair; repeatable.")
        Map<String, String> metadata = new LinkedHashMap<>();

        @Option(names = "--content-limit", paramLabel = "BYTES", description = "The store's largest memory content,"
                + " in bytes (default: the library's, 100 KiB).")
        Integer contentLimit;

        @Option(names = "--memory-limit", paramLabel = "COUNT", description = "The store's largest number of memories"
                + " (default: the library's, 10,000).")
        Integer memoryLimit;

        @Override
        void run(Context ctx) {
            NewStore.Builder b = NewStore.named(name).description(description);
            metadata.forEach(b::metadata);
            if (contentLimit != null) {
                b.contentLimitBytes(contentLimit);
            }
            if (memoryLimit != null) {
                b.memoryLimit(memoryLimit);
            }
            MemoryStore store = ctx.admin().create(b.build());
            if (ctx.json()) {
                ctx.printJson(Json.store(store));
            } else {
                ctx.io().out().println(store.id());
            }
        }
    }

    /** {@code memctl stores archive}. */
    @Command(name = "archive", description = "Archive a store: read-only for everyone from now on, one-way.")
    static final class Archive extends BaseCommand {
        @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
        String store;

        @Override
        void run(Context ctx) {
            MemoryStore archived = ctx.admin().archive(ctx.store(store).id());
            if (ctx.json()) {
                ctx.printJson(Json.store(archived));
            } else {
                ctx.io().out().println("archived " + archived.id() + " (" + archived.name() + ")");
            }
        }
    }

    /** {@code memctl stores delete}. */
    @Command(name = "delete", description = "Delete a store with all its memories and versions, for good.")
    static final class Delete extends BaseCommand {
        @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
        String store;

        @Option(names = "--yes", description = "Confirm the deletion; required, since it cannot be undone.")
        boolean yes;

        @picocli.CommandLine.Mixin
        Erasure erasure;

        @Override
        void run(Context ctx) {
            MemoryStore target = ctx.store(store);
            if (!yes) {
                throw new CliException(ExitCode.USAGE, "deleting " + target.id() + " (" + target.name()
                        + ") removes all its memories and versions for good; add --yes to confirm");
            }
            dev.agentmemory.model.ErasureStatus physical = erasure.settle(ctx, ctx.admin().delete(target.id()));
            if (ctx.json()) {
                ctx.printJson(Json.MAPPER.createObjectNode().put("type", "memory_store_deleted")
                        .put("id", target.id().value()).set("erasure", Erasure.json(physical)));
            } else {
                ctx.io().out().println("deleted " + target.id() + " (" + target.name() + ")");
                ctx.io().out().println("erasure " + physical.state().wireName() + ": " + physical.detail());
            }
            Erasure.finish(ctx, physical, "the deleted store's content");
        }
    }
}
