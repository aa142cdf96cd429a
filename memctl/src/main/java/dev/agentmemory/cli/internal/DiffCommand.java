package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.agentmemory.Memories;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.VersionId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code memctl diff}: a unified diff between two versions. */
@Command(name = "diff", description = {"Show a unified diff between two versions (of one memory or two).",
    "Without TO, diff FROM against its memory's current content. A deletion diffs as empty content."
        + " Exits 0 whether or not the contents differ."})
final class DiffCommand extends BaseCommand {

    private static final int CONTEXT_LINES = 3;

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "FROM", description = "The older version's id (memver_...).")
    String from;

    @Parameters(index = "2", paramLabel = "TO", arity = "0..1",
            description = "The newer version's id (default: the memory's current content).")
    String to;

    @Override
    void run(Context ctx) {
        Memories memories = ctx.memories(ctx.store(store));
        MemoryVersion a = memories.version(VersionId.of(from));
        String aText = text(a);
        String aLabel = a.path().orElse("/dev/null") + "\t" + a.id();
        String bText;
        String bLabel;
        if (to != null) {
            MemoryVersion b = memories.version(VersionId.of(to));
            bText = text(b);
            bLabel = b.path().orElse("/dev/null") + "\t" + b.id();
        } else {
            Memory current = memories.get(a.memoryId());
            bText = current.text();
            bLabel = current.path() + "\t" + current.headVersionId() + " (current)";
        }
        List<String> aLines = lines(aText);
        List<String> bLines = lines(bText);
        Patch<String> patch = DiffUtils.diff(aLines, bLines);
        List<String> diff = patch.getDeltas().isEmpty() ? List.of()
                : UnifiedDiffUtils.generateUnifiedDiff(aLabel, bLabel, aLines, patch, CONTEXT_LINES);
        if (ctx.json()) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("from", a.id().value());
            n.put("to", to != null ? to : null);
            n.put("identical", diff.isEmpty());
            n.put("diff", diff.isEmpty() ? "" : String.join("\n", diff) + "\n");
            ctx.printJson(n);
            return;
        }
        diff.forEach(ctx.io().out()::println);
    }

    private static String text(MemoryVersion v) {
        if (v.content().isPresent()) {
            return v.content().get();
        }
        if (v.isRedacted()) {
            throw new CliException(ExitCode.INVALID, "version " + v.id() + " was redacted; its content is gone");
        }
        if (v.operation() == Operation.DELETED) {
            return "";
        }
        throw new CliException(ExitCode.INVALID, "version " + v.id() + " has no content");
    }

    /** Splits into lines; a final newline ends the last line rather than starting an empty one. */
    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return new ArrayList<>();
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
