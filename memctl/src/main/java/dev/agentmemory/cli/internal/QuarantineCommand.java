package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.model.Change;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.QuarantinedWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code memctl quarantine}: the writes write policies held for review; list, show, release or discard them. */
@Command(name = "quarantine", description = {"Review the writes a write policy held for an operator: they are stored"
        + " where sessions cannot see them until released (applied then, as their original writer) or discarded."},
        subcommands = {QuarantineCommand.ListHeld.class, QuarantineCommand.Show.class,
            QuarantineCommand.Release.class, QuarantineCommand.Discard.class})
final class QuarantineCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: list, show, release or discard");
    }

    static ObjectNode json(QuarantinedWrite w, boolean withContent) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", w.id());
        n.put("store_id", w.storeId().value());
        n.set("actor", Json.actor(w.actor()));
        n.put("created_at", w.createdAt().toString());
        n.put("policy", w.policy());
        n.put("rule", w.rule());
        n.put("reason", w.reason());
        ArrayNode changes = n.putArray("changes");
        for (QuarantinedWrite.HeldChange h : w.changes()) {
            ObjectNode c = changes.addObject();
            c.put("change", h.describe());
            if (withContent) {
                content(h.change()).ifPresent(t -> c.put("content", t));
            }
            ArrayNode rules = c.putArray("policy_redactions");
            h.policyRedactions().forEach(rules::add);
        }
        return n;
    }

    private static Optional<String> content(Change c) {
        if (c instanceof Change.Create cr) {
            return Optional.of(cr.content());
        } else if (c instanceof Change.Update u) {
            return u.update().content();
        }
        return Optional.empty();
    }

    /** {@code memctl quarantine list}. */
    @Command(name = "list", description = "List a store's held writes, newest first.")
    static final class ListHeld extends BaseCommand {
        @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
        String store;

        @Override
        void run(Context ctx) {
            MemoryStore s = ctx.store(store);
            List<QuarantinedWrite> all = new ArrayList<>();
            Optional<String> cursor = Optional.empty();
            do {
                Page<QuarantinedWrite> page = ctx.admin().quarantined(s.id(), cursor, 100);
                all.addAll(page.items());
                cursor = page.nextCursor();
            } while (cursor.isPresent());
            if (ctx.json()) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                all.forEach(w -> array.add(json(w, false)));
                ctx.printJson(array);
                return;
            }
            Table t = new Table("ID", "CREATED", "ACTOR", "POLICY", "RULE", "CHANGES");
            for (QuarantinedWrite w : all) {
                t.row(w.id(), Table.time(w.createdAt()), Converters.format(w.actor()), w.policy(), w.rule(),
                        Table.truncate(String.join("; ", w.changes().stream().map(h -> h.describe()).toList()), 60));
            }
            t.print(ctx.io().out());
        }
    }

    /** {@code memctl quarantine show}. */
    @Command(name = "show", description = "Show one held write with the content it would store.")
    static final class Show extends BaseCommand {
        @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
        String store;

        @Parameters(index = "1", paramLabel = "ID", description = "The held write (qwrite_...).")
        String id;

        @Override
        void run(Context ctx) {
            QuarantinedWrite w = ctx.admin().quarantinedWrite(ctx.store(store).id(), id);
            if (ctx.json()) {
                ctx.printJson(json(w, true));
                return;
            }
            var out = ctx.io().out();
            out.println("id:      " + w.id());
            out.println("by:      " + Converters.format(w.actor()));
            out.println("at:      " + w.createdAt());
            out.println("policy:  " + w.policy() + " (rule " + w.rule() + ")");
            out.println("reason:  " + w.reason());
            for (QuarantinedWrite.HeldChange h : w.changes()) {
                out.println();
                out.println("--- " + h.describe() + (h.policyRedactions().isEmpty() ? ""
                        : " [redacted: " + String.join(", ", h.policyRedactions()) + "]"));
                content(h.change()).ifPresent(out::println);
            }
        }
    }

    /** {@code memctl quarantine release}. */
    @Command(name = "release", description = "Apply a held write now, as its original writer, and remove it from"
            + " quarantine (all its changes or none).")
    static final class Release extends BaseCommand {
        @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
        String store;

        @Parameters(index = "1", paramLabel = "ID", description = "The held write (qwrite_...).")
        String id;

        @Override
        void run(Context ctx) {
            List<ChangeResult> results = ctx.admin().releaseQuarantined(ctx.store(store).id(), id);
            if (ctx.json()) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                results.forEach(r -> r.version().ifPresent(v -> array.add(Json.version(v))));
                ctx.printJson(array);
                return;
            }
            for (ChangeResult r : results) {
                ctx.io().out().println("released " + id + ": " + r.memoryId()
                        + r.version().map(v -> " " + v.operation().wireName() + " as " + v.id()).orElse(" unchanged"));
            }
        }
    }

    /** {@code memctl quarantine discard}. */
    @Command(name = "discard", description = "Discard a held write for good: nothing of it is applied.")
    static final class Discard extends BaseCommand {
        @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
        String store;

        @Parameters(index = "1", paramLabel = "ID", description = "The held write (qwrite_...).")
        String id;

        @Override
        void run(Context ctx) {
            ctx.admin().discardQuarantined(ctx.store(store).id(), id);
            if (!ctx.json()) {
                ctx.io().out().println("discarded " + id);
            } else {
                ctx.printJson(Json.MAPPER.createObjectNode().put("discarded", id));
            }
        }
    }
}
