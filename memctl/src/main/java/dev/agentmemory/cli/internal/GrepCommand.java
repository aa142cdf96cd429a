package dev.agentmemory.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.Memories;
import dev.agentmemory.model.SearchMatch;
import dev.agentmemory.model.SearchQuery;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code memctl grep}: searches a store's current content line by line through the library's search, with grep's
 * options and exit codes (0 a line matched, 1 none did, 2 an error).
 */
@Command(name = "grep", description = {"Search the content of a store's memories line by line, as grep does.",
    "PATTERN is a fixed string unless -E is given. Output: PATH:LINE, or PATH:N:LINE with -n.",
    "Exit status: 0 if a line matched, 1 if none did, 2 on any error (unlike memctl's other commands)."})
final class GrepCommand extends BaseCommand {

    /** The exit code of a failed search, as grep's. */
    static final int ERROR = 2;
    /** The exit code of a search that matched nothing, as grep's. */
    static final int NO_MATCH = 1;

    @Parameters(index = "0", paramLabel = "STORE", description = "The store's id or unique name.")
    String store;

    @Parameters(index = "1", paramLabel = "PATTERN", description = "What to look for: a fixed string, or a Java"
            + " regular expression with -E. Matched within one line.")
    String pattern;

    @Parameters(index = "2", paramLabel = "DIR", arity = "0..1", defaultValue = "/",
            description = "Search only under this directory, e.g. /notes/ (default: /, the whole store).")
    String prefix;

    @Option(names = {"-E", "--extended-regexp"}, description = "PATTERN is a regular expression (java.util.regex"
            + " syntax; its cost per memory is bounded).")
    boolean regex;

    @Option(names = {"-F", "--fixed-strings"}, description = "PATTERN is a fixed string (the default).")
    boolean fixed;

    @Option(names = {"-i", "--ignore-case"}, description = "Ignore case.")
    boolean ignoreCase;

    @Option(names = {"-l", "--files-with-matches"}, description = "Print only the paths of memories that match.")
    boolean filesOnly;

    @Option(names = {"-n", "--line-number"}, description = "Print each line's number after its path.")
    boolean lineNumbers;

    @Option(names = {"-c", "--count"}, description = "Print PATH:COUNT, the number of matching lines, for each"
            + " memory with at least one.")
    boolean count;

    @Option(names = "--glob", paramLabel = "GLOB", description = "Search only paths that fit GLOB: *.md (the file"
            + " name) or /notes/**/todo.md (the whole path); * stops at /, ** does not, ? is one character.")
    String glob;

    @Option(names = {"-m", "--max-count"}, paramLabel = "N", defaultValue = "0",
            description = "Stop after N matching lines in all (default: no limit).")
    int maxCount;

    private boolean matched;

    @Override
    void validate() {
        if (regex && fixed) {
            throw new CliException(ExitCode.USAGE, "-E and -F exclude each other: choose a regular expression or a"
                    + " fixed string");
        }
        if (maxCount < 0) {
            throw new CliException(ExitCode.USAGE, "--max-count must be 0 (no limit) or more, not " + maxCount);
        }
        if (filesOnly && count) {
            throw new CliException(ExitCode.USAGE, "-l and -c exclude each other");
        }
    }

    @Override
    void run(Context ctx) {
        Memories memories = ctx.memories(ctx.store(store));
        SearchQuery.Builder q = (regex ? SearchQuery.regex(pattern) : SearchQuery.literal(pattern))
                .ignoreCase(ignoreCase).pathPrefix(prefix.endsWith("/") ? prefix : prefix + "/").limit(maxCount);
        if (glob != null) {
            q.pathGlob(glob);
        }
        try (Stream<SearchMatch> found = memories.search(q.build())) {
            if (ctx.json()) {
                printJson(ctx, found);
            } else {
                printText(ctx.io().out(), found.iterator());
            }
        }
    }

    private void printText(PrintStream out, Iterator<SearchMatch> it) {
        String lastPath = null;
        int n = 0;
        while (it.hasNext()) {
            SearchMatch m = it.next();
            matched = true;
            if (filesOnly) {
                if (!m.path().equals(lastPath)) {
                    out.println(m.path());
                }
            } else if (count) {
                if (lastPath != null && !m.path().equals(lastPath)) {
                    out.println(lastPath + ":" + n);
                    n = 0;
                }
                n++;
            } else {
                out.println(m.path() + ":" + (lineNumbers ? m.lineNumber() + ":" : "") + m.line());
            }
            lastPath = m.path();
        }
        if (count && lastPath != null) {
            out.println(lastPath + ":" + n);
        }
    }

    private void printJson(Context ctx, Stream<SearchMatch> found) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        found.forEach(m -> {
            matched = true;
            ObjectNode n = array.addObject();
            n.put("memory_id", m.memoryId().value());
            n.put("path", m.path());
            n.put("line_number", m.lineNumber());
            n.put("line", m.line());
            ArrayNode spans = n.putArray("spans");
            m.spans().forEach(s -> spans.addArray().add(s.start()).add(s.end()));
        });
        ctx.printJson(array);
    }

    @Override
    int status() {
        return matched ? ExitCode.OK.code() : NO_MATCH;
    }
}
