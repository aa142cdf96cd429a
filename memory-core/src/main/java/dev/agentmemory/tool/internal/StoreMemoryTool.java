package dev.agentmemory.tool.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.error.NotFoundException;
import dev.agentmemory.model.PathConflictException;
import dev.agentmemory.internal.SystemPrompt;
import dev.agentmemory.model.ChangeResult;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.ListEntry;
import dev.agentmemory.model.ListQuery;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.MemoryUpdate;
import dev.agentmemory.model.Page;
import dev.agentmemory.spi.PathOrder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory tool on the mounts of a session: {@code /memories/<slug>/...} is a path in the store of the attachment
 * with that slug, reached through the session's {@link Memories} handle for it (which enforces the attachment's access
 * and every store rule). {@code /memories} itself only lists the mounts and holds no files. Stateless apart from its
 * configuration, so thread-safe; concurrent edits of one file are made safe by the store's content preconditions.
 * The tool's API ({@code dev.agentmemory.tool.MemoryTool}) wraps it and turns each {@link ToolReply} into its result.
 */
public final class StoreMemoryTool {

    /** The largest number of lines a file may have to be viewed, as in the reference implementations. */
    static final int MAX_LINES = 999_999;
    private static final int PAGE = 100;
    private static final Logger LOG = LoggerFactory.getLogger(StoreMemoryTool.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VIEW_RANGE_SHAPE = "Invalid `view_range`. It should be a list of two integers.";

    /**
     * One attachment the tool serves, and the session's handle on it.
     *
     * @param attachment the attachment; its slug is the directory under {@code /memories}
     * @param memories the session's handle on the attached store; its actor is who every change is attributed to
     */
    public record Mount(Attachment attachment, Memories memories) {

        /** Checks both are present. */
        public Mount {
            Objects.requireNonNull(attachment, "attachment");
            Objects.requireNonNull(memories, "memories");
        }

        /**
         * Returns the mount's slug.
         *
         * @return the slug
         */
        public String slug() {
            return attachment.slug();
        }

        /**
         * Returns the mount's directory as the tool names it.
         *
         * @return {@code /memories/<slug>/}
         */
        public String toolRoot() {
            return ToolPaths.ROOT + "/" + slug() + "/";
        }
    }

    /** The opening of {@link #systemPrompt()}: how the tool's directory is laid out and how to use it. */
    static final String PROMPT_INTRO = "You have a memory tool. Persistent memory stores are mounted as directories"
            + " under /memories, one directory per store, listed below; `view /memories` shows them all. Files there"
            + " outlive this session: view your memory directory before you do anything else, and keep what you learn"
            + " in small, focused files. Every change is recorded as a version attributed to this session."
            + " /memories itself holds no files and is read-only: create files inside a store's directory. A rename"
            + " stays inside one store.";

    private final Map<String, Mount> mounts;
    private final int maxViewChars;

    /**
     * Creates the tool.
     *
     * @param mounts the attachments served, each under {@code /memories/<slug>/}, in the order prompts list them;
     *     slugs are unique within a session
     * @param maxViewChars the cap on a view's body
     */
    public StoreMemoryTool(List<Mount> mounts, int maxViewChars) {
        Map<String, Mount> bySlug = new LinkedHashMap<>();
        for (Mount m : mounts) {
            bySlug.put(m.slug(), m);
        }
        this.mounts = Collections.unmodifiableMap(bySlug);
        this.maxViewChars = maxViewChars;
    }

    @Override
    public String toString() {
        return "MemoryTool{" + mounts.values().stream().map(m -> m.toolRoot() + "=" + m.memories())
                .collect(Collectors.joining(", ")) + "}";
    }

    public List<Attachment> mounts() {
        return mounts.values().stream().map(Mount::attachment).toList();
    }

    public String systemPrompt() {
        List<SystemPrompt.Entry> entries = new ArrayList<>();
        for (Mount m : mounts.values()) {
            Optional<MemoryStore> now;
            try {
                now = Optional.of(m.memories().store());
            } catch (NotFoundException e) {
                now = Optional.empty();
            }
            entries.add(new SystemPrompt.Entry(m.toolRoot(), m.attachment(), now));
        }
        return SystemPrompt.render(PROMPT_INTRO, entries);
    }

    // ------------------------------------------------------------------------------------------------ view

    public ToolReply view(String path, Optional<List<Long>> viewRange) {
        Objects.requireNonNull(viewRange, "viewRange");
        return run(path, p -> {
            String missing = "The path " + p.raw() + " does not exist. Please provide a valid path.";
            String rangeOnDir = "The `view_range` parameter is not allowed when `path` points to a directory.";
            if (p.isToolRoot()) {
                return viewRange.isPresent() ? ToolReply.error(rangeOnDir) : ToolReply.ok(mountListing(p));
            }
            Optional<Mount> mount = mount(p);
            if (mount.isEmpty()) {
                return ToolReply.error(missing);
            }
            Memories memories = mount.get().memories();
            if (!p.isMountRoot()) {
                Optional<Memory> file = memories.findByPath(p.storePath());
                if (file.isPresent()) {
                    return viewFile(p, file.get().text(), viewRange);
                }
            }
            List<Memory> under = allUnder(memories, p.dirPrefix());
            if (under.isEmpty() && !p.isMountRoot()) {
                return ToolReply.error(missing);
            }
            if (viewRange.isPresent()) {
                return ToolReply.error(rangeOnDir);
            }
            Dir root = new Dir();
            for (Memory m : under) {
                String rel = m.path().substring(p.dirPrefix().length());
                root.add(rel.split("/", -1), 0, m.contentSizeBytes());
            }
            return ToolReply.ok(listing(p, root));
        });
    }

    private ToolReply viewFile(ToolPaths.Resolved p, String text, Optional<List<Long>> viewRange) {
        List<String> lines = TextLines.split(text);
        int n = lines.size();
        if (n > MAX_LINES) {
            return ToolReply.error("File " + p.raw() + " exceeds maximum line limit of 999,999 lines.");
        }
        int from = 1;
        int to = n;
        if (viewRange.isPresent()) {
            List<Long> range = viewRange.get();
            if (range.size() != 2 || range.get(0) == null || range.get(1) == null) {
                return ToolReply.error(VIEW_RANGE_SHAPE);
            }
            long start = range.get(0);
            long end = range.get(1);
            String shown = "[" + start + ", " + end + "]";
            if (start < 1 || start > n) {
                return ToolReply.error("Invalid `view_range`: " + shown + ". Its first element `" + start
                        + "` should be within the range of lines of the file: [1, " + n + "]");
            }
            if (end != -1 && end < start) {
                return ToolReply.error("Invalid `view_range`: " + shown + ". Its second element `" + end
                        + "` should be larger or equal than its first `" + start + "`");
            }
            from = (int) start;
            to = end == -1 ? n : (int) Math.min(end, n);
        }
        String header = "Here's the content of " + p.raw() + " with line numbers:";
        if (from > to) {
            return ToolReply.ok(header);
        }
        TextLines.Numbered body = TextLines.numbered(lines, from, to, maxViewChars);
        StringBuilder out = new StringBuilder(header).append('\n').append(body.text());
        if (body.lastShown() < to || body.cut()) {
            out.append("\n[Truncated: a view shows at most ").append(maxViewChars).append(" characters; shown up to"
                    + " line ").append(body.lastShown()).append(" of ").append(n).append('.');
            if (body.lastShown() < to) {
                out.append(" Use view_range [").append(body.lastShown() + 1).append(", ").append(to)
                        .append("] to see more.");
            }
            out.append(']');
        }
        return ToolReply.ok(out.toString());
    }

    /** {@code /memories}: each mount is a directory, listed like any other two levels deep. */
    private String mountListing(ToolPaths.Resolved p) {
        Dir root = new Dir();
        for (Mount mount : mounts.values()) {
            Dir dir = new Dir();
            for (Memory m : allUnder(mount.memories(), "/")) {
                dir.add(m.path().substring(1).split("/", -1), 0, m.contentSizeBytes());
            }
            root.children.put(mount.slug(), dir);
            root.size += dir.size;
        }
        return listing(p, root);
    }

    private String listing(ToolPaths.Resolved p, Dir root) {
        List<String> rows = new ArrayList<>();
        root.render(p.display(), 1, rows);
        StringBuilder out = new StringBuilder("Here're the files and directories up to 2 levels deep in ")
                .append(p.display()).append(", excluding hidden items and node_modules:\n");
        String first = TextLines.humanSize(root.size) + "\t" + p.display();
        out.append(first);
        int used = first.length();
        for (int i = 0; i < rows.size(); i++) {
            String row = rows.get(i);
            if (used + 1 + row.length() > maxViewChars) {
                out.append("\n[Truncated: a view shows at most ").append(maxViewChars).append(" characters; ")
                        .append(rows.size() - i).append(" more entries not shown. View a subdirectory to see"
                                + " them.]");
                break;
            }
            out.append('\n').append(row);
            used += 1 + row.length();
        }
        return out.toString();
    }

    /** A directory of the listing tree: the total size of everything under it, and its children by name. */
    private static final class Dir {
        long size;
        final TreeMap<String, Object> children = new TreeMap<>(PathOrder::compare);

        void add(String[] segments, int i, long bytes) {
            size += bytes;
            if (i == segments.length - 1) {
                children.put(segments[i], bytes);
                return;
            }
            Object child = children.computeIfAbsent(segments[i], k -> new Dir());
            if (child instanceof Dir d) {
                d.add(segments, i + 1, bytes);
            }
        }

        void render(String prefix, int depth, List<String> rows) {
            for (Map.Entry<String, Object> e : children.entrySet()) {
                String name = e.getKey();
                if (name.startsWith(".") || name.equals("node_modules")) {
                    continue;
                }
                String path = prefix + "/" + name;
                if (e.getValue() instanceof Dir d) {
                    rows.add(TextLines.humanSize(d.size) + "\t" + path + "/");
                    if (depth < 2) {
                        d.render(path, depth + 1, rows);
                    }
                } else {
                    rows.add(TextLines.humanSize((Long) e.getValue()) + "\t" + path);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ create

    public ToolReply create(String path, String fileText) {
        Objects.requireNonNull(fileText, "fileText");
        return run(path, p -> {
            if (p.isToolRoot() || p.isMountRoot() && mount(p).isPresent()) {
                return ToolReply.error("Error: The path " + p.raw() + " is a directory");
            }
            Optional<Mount> mount = mount(p);
            if (mount.isEmpty()) {
                return ToolReply.error("Error: Cannot create " + p.raw() + ": " + notAMount(p));
            }
            if (p.raw().endsWith("/")) {
                return ToolReply.error("Error: Cannot create " + p.raw() + ": a file path must not end in '/'");
            }
            try {
                mount.get().memories().create(p.storePath(), fileText);
                return ToolReply.ok("File created successfully at: " + p.raw());
            } catch (PathConflictException e) {
                String other = e.conflictingPath().orElse("");
                if (other.equals(p.storePath())) {
                    return ToolReply.error("Error: File " + p.raw() + " already exists");
                }
                if (other.startsWith(p.storePath() + "/")) {
                    return ToolReply.error("Error: The path " + p.raw() + " is a directory");
                }
                return ToolReply.error("Error: Cannot create " + p.raw() + ": "
                        + ToolPaths.toolPath(p.mount(), other) + " is a file, not a directory");
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ str_replace

    public ToolReply strReplace(String path, String oldStr, Optional<String> newStr) {
        Objects.requireNonNull(oldStr, "oldStr");
        Objects.requireNonNull(newStr, "newStr");
        String replacement = newStr.orElse("");
        return run(path, p -> {
            String missing = "Error: The path " + p.raw() + " does not exist. Please provide a valid path.";
            if (oldStr.isEmpty()) {
                return ToolReply.error("Error: old_str must not be empty; give the exact text to replace");
            }
            Optional<Mount> mount = mount(p);
            if (mount.isEmpty() || p.isMountRoot()) {
                return ToolReply.error(missing);
            }
            // The replacement is decided and written in one atomic write of the store: if another writer changes
            // the file in between, the store runs the edit again on the new content.
            int[] offset = new int[1];
            try {
                ChangeResult r = mount.get().memories().edit(p.storePath(), text -> {
                    List<Integer> at = occurrences(text, oldStr);
                    if (at.isEmpty()) {
                        throw new Refusal("No replacement was performed, old_str `" + oldStr
                                + "` did not appear verbatim in " + p.raw() + ".");
                    }
                    if (at.size() > 1) {
                        Set<Integer> lines = new LinkedHashSet<>();
                        for (int o : at) {
                            lines.add(TextLines.lineOf(text, o));
                        }
                        throw new Refusal("No replacement was performed. Multiple occurrences of old_str `" + oldStr
                                + "` in lines: " + lines.stream().map(String::valueOf)
                                        .collect(Collectors.joining(", ")) + ". Please ensure it is unique");
                    }
                    offset[0] = at.get(0);
                    return text.substring(0, offset[0]) + replacement + text.substring(offset[0] + oldStr.length());
                });
                return ToolReply.ok("The memory file has been edited. Here is the snippet showing the change (with"
                        + " line numbers):" + snippet(r.memory().orElseThrow().text(), offset[0], replacement));
            } catch (NotFoundException e) {
                return ToolReply.error(missing);
            } catch (Refusal e) {
                return ToolReply.error(e.getMessage());
            }
        });
    }

    private String snippet(String updated, int offset, String replacement) {
        List<String> lines = TextLines.split(updated);
        if (lines.isEmpty()) {
            return "";
        }
        int first = Math.min(TextLines.lineOf(updated, offset), lines.size());
        int last = replacement.isEmpty() ? first : TextLines.lineOf(updated, offset + replacement.length() - 1);
        int from = Math.max(1, first - 2);
        int to = Math.min(lines.size(), last + 2);
        return "\n" + TextLines.numbered(lines, from, to, maxViewChars).text();
    }

    private static List<Integer> occurrences(String text, String needle) {
        List<Integer> at = new ArrayList<>();
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            at.add(i);
        }
        return at;
    }

    // ------------------------------------------------------------------------------------------------ insert

    public ToolReply insert(String path, long insertLine, String insertText) {
        Objects.requireNonNull(insertText, "insertText");
        return run(path, p -> {
            String missing = "Error: The path " + p.raw() + " does not exist";
            Optional<Mount> mount = mount(p);
            if (mount.isEmpty() || p.isMountRoot()) {
                return ToolReply.error(missing);
            }
            try {
                mount.get().memories().edit(p.storePath(), text -> {
                    int n = TextLines.split(text).size();
                    if (insertLine < 0 || insertLine > n) {
                        throw new Refusal("Error: Invalid `insert_line` parameter: " + insertLine
                                + ". It should be within the range of lines of the file: [0, " + n + "]");
                    }
                    return TextLines.insert(text, (int) insertLine, insertText);
                });
                return ToolReply.ok("The file " + p.raw() + " has been edited.");
            } catch (NotFoundException e) {
                return ToolReply.error(missing);
            } catch (Refusal e) {
                return ToolReply.error(e.getMessage());
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ delete

    public ToolReply delete(String path) {
        return run(path, p -> {
            if (p.isToolRoot()) {
                return ToolReply.error("Error: Cannot delete the /memories directory itself");
            }
            String missing = "Error: The path " + p.raw() + " does not exist";
            Optional<Mount> mount = mount(p);
            if (mount.isEmpty()) {
                return ToolReply.error(missing);
            }
            if (p.isMountRoot()) {
                return ToolReply.error("Error: Cannot delete " + p.raw() + ": it is the directory a store is"
                        + " mounted on; delete the files in it instead");
            }
            Memories memories = mount.get().memories();
            try {
                Optional<Memory> file = memories.findByPath(p.storePath());
                if (file.isPresent()) {
                    memories.delete(file.get().id());
                } else {
                    memories.deleteDirectory(p.dirPrefix());
                }
                return ToolReply.ok("Successfully deleted " + p.raw());
            } catch (NotFoundException e) {
                return ToolReply.error(missing);
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ rename

    public ToolReply rename(String oldPath, String newPath) {
        return run(oldPath, from -> run(newPath, to -> {
            if (from.isToolRoot()) {
                return ToolReply.error("Error: Cannot rename the /memories directory itself");
            }
            String missing = "Error: The path " + from.raw() + " does not exist";
            String taken = "Error: The destination " + to.raw() + " already exists";
            Optional<Mount> source = mount(from);
            if (source.isEmpty()) {
                return ToolReply.error(missing);
            }
            if (from.isMountRoot()) {
                return ToolReply.error("Error: Cannot rename " + from.raw() + ": it is the directory a store is"
                        + " mounted on, which cannot move");
            }
            Optional<Mount> target = mount(to);
            if (to.isToolRoot() || to.isMountRoot() && target.isPresent()) {
                return ToolReply.error(taken);
            }
            if (target.isEmpty()) {
                return ToolReply.error("Error: Cannot rename " + from.raw() + " to " + to.raw() + ": "
                        + notAMount(to));
            }
            if (target.get() != source.get()) {
                return ToolReply.error("Error: Cannot rename " + from.raw() + " to " + to.raw() + ": they are in"
                        + " different stores (" + source.get().toolRoot() + " and " + target.get().toolRoot()
                        + "), and a rename stays inside one store. Create the file under "
                        + target.get().toolRoot() + " and delete the original instead");
            }
            Memories memories = source.get().memories();
            Optional<Memory> file = memories.findByPath(from.storePath());
            boolean isDir = file.isEmpty() && exists(memories, from.dirPrefix());
            if (file.isEmpty() && !isDir) {
                return ToolReply.error(missing);
            }
            if (memories.findByPath(to.storePath()).isPresent() || exists(memories, to.dirPrefix())) {
                return ToolReply.error(taken);
            }
            if (to.raw().endsWith("/") && file.isPresent()) {
                return ToolReply.error("Error: Cannot rename " + from.raw() + " to " + to.raw()
                        + ": a file path must not end in '/'");
            }
            if (isDir && to.storePath().startsWith(from.dirPrefix())) {
                return ToolReply.error("Error: Cannot rename " + from.raw() + " to " + to.raw()
                        + ": the destination is inside the source");
            }
            try {
                if (file.isPresent()) {
                    memories.update(file.get().id(), MemoryUpdate.path(to.storePath()));
                } else {
                    memories.move(from.dirPrefix(), to.dirPrefix());
                }
            } catch (NotFoundException e) {
                return ToolReply.error(missing);
            } catch (PathConflictException e) {
                String other = e.conflictingPath().orElse("");
                if (other.equals(to.storePath()) || other.startsWith(to.dirPrefix())) {
                    return ToolReply.error(taken);
                }
                return ToolReply.error("Error: Cannot rename " + from.raw() + " to " + to.raw() + ": "
                        + ToolPaths.toolPath(to.mount(), other) + " is a file, not a directory");
            }
            return ToolReply.ok("Successfully renamed " + from.raw() + " to " + to.raw());
        }));
    }

    // ------------------------------------------------------------------------------------------------ execute

    public ToolReply execute(String inputJson) {
        Objects.requireNonNull(inputJson, "inputJson");
        Object parsed;
        try {
            parsed = JSON.readValue(inputJson, Object.class);
        } catch (JsonProcessingException e) {
            return ToolReply.error("Error: The tool input is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            return ToolReply.error("Error: The tool input must be a JSON object with a `command`");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> input = (Map<String, ?>) map;
        return execute(input);
    }

    public ToolReply execute(Map<String, ?> input) {
        Objects.requireNonNull(input, "input");
        try {
            String command = string(input, "command");
            return switch (command) {
                case "view" -> view(string(input, "path"), viewRange(input.get("view_range")));
                case "create" -> create(string(input, "path"), string(input, "file_text"));
                case "str_replace" -> strReplace(string(input, "path"), string(input, "old_str"),
                        optionalString(input, "new_str"));
                case "insert" -> insert(string(input, "path"), integer(input, "insert_line"),
                        string(input, "insert_text"));
                case "delete" -> delete(string(input, "path"));
                case "rename" -> rename(string(input, "old_path"), string(input, "new_path"));
                default -> ToolReply.error("Error: Unknown command `" + command + "`. The memory tool's commands are"
                        + " view, create, str_replace, insert, delete and rename");
            };
        } catch (BadInput e) {
            return ToolReply.error(e.getMessage());
        }
    }

    /** A missing or mistyped parameter; its message is the error result's text. */
    private static final class BadInput extends Exception {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A command's own refusal, decided inside an edit from the content it read (old_str not found, a line out of
     * range); its message is the error result's text. The store writes nothing when an edit throws it.
     */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    private static String string(Map<String, ?> input, String name) throws BadInput {
        Object v = input.get(name);
        if (v == null) {
            throw new BadInput("Error: Missing required parameter `" + name + "`");
        }
        if (!(v instanceof String s)) {
            throw new BadInput("Error: Parameter `" + name + "` must be a string");
        }
        return s;
    }

    private static Optional<String> optionalString(Map<String, ?> input, String name) throws BadInput {
        return input.get(name) == null ? Optional.empty() : Optional.of(string(input, name));
    }

    private static long integer(Map<String, ?> input, String name) throws BadInput {
        Object v = input.get(name);
        if (v == null) {
            throw new BadInput("Error: Missing required parameter `" + name + "`");
        }
        Optional<Long> n = asLong(v);
        if (n.isEmpty()) {
            throw new BadInput("Error: Parameter `" + name + "` must be an integer");
        }
        return n.get();
    }

    private static Optional<List<Long>> viewRange(Object v) throws BadInput {
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof List<?> list) || list.size() != 2) {
            throw new BadInput(VIEW_RANGE_SHAPE);
        }
        List<Long> range = new ArrayList<>(2);
        for (Object o : list) {
            range.add(asLong(o).orElseThrow(() -> new BadInput(VIEW_RANGE_SHAPE)));
        }
        return Optional.of(List.copyOf(range));
    }

    private static Optional<Long> asLong(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return Optional.of(((Number) v).longValue());
        }
        if (v instanceof BigInteger b && b.bitLength() < 64) {
            return Optional.of(b.longValue());
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            BigDecimal d = new BigDecimal(v.toString());
            try {
                return Optional.of(d.longValueExact());
            } catch (ArithmeticException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** One command's body on a checked path. */
    @FunctionalInterface
    private interface Body {
        ToolReply apply(ToolPaths.Resolved path);
    }

    /**
     * Checks the path, runs the body, and turns the store's refusals into error results: a refused command wrote
     * nothing, because every store call that writes is atomic and is the body's last step.
     */
    private ToolReply run(String path, Body body) {
        Objects.requireNonNull(path, "path");
        ToolPaths.Result resolved = ToolPaths.resolve(path);
        if (resolved.error().isPresent()) {
            return ToolReply.error(resolved.error().get());
        }
        try {
            return body.apply(resolved.path().orElseThrow());
        } catch (MemoryException e) {
            return switch (e.kind()) {
                case STORAGE, SURFACE -> {
                    LOG.warn("memory tool: the store failed on {}", path, e);
                    yield ToolReply.error("Error: " + e.getMessage());
                }
                case NOT_FOUND, CONFLICT, PATH_CONFLICT, PRECONDITION_FAILED, INVALID_ARGUMENT, LIMIT_EXCEEDED,
                        READ_ONLY, ARCHIVED, WRITE_BLOCKED -> ToolReply.error("Error: " + inToolTerms(e.getMessage()));
            };
        }
    }

    /** The store names a mount by its session path ({@code /mnt/memory/<slug>/}); the model knows it as a tool path. */
    private String inToolTerms(String message) {
        String out = message;
        for (Mount m : mounts.values()) {
            out = out.replace(m.attachment().mountPath(), m.toolRoot());
        }
        return out;
    }

    private Optional<Mount> mount(ToolPaths.Resolved p) {
        return Optional.ofNullable(mounts.get(p.mount()));
    }

    /** Why a path whose first segment is not a mount cannot be written. */
    private String notAMount(ToolPaths.Resolved p) {
        String first = ToolPaths.ROOT + "/" + p.mount();
        if (mounts.isEmpty()) {
            return first + " is not a mounted store, and no store is mounted";
        }
        return first + " is not a mounted store; files go in " + mounts.values().stream().map(Mount::toolRoot)
                .collect(Collectors.joining(", "));
    }

    private static boolean exists(Memories memories, String prefix) {
        return !memories.list(ListQuery.under(prefix).limit(1).build()).items().isEmpty();
    }

    private static List<Memory> allUnder(Memories memories, String prefix) {
        List<Memory> all = new ArrayList<>();
        ListQuery query = ListQuery.under(prefix).limit(PAGE).build();
        Page<ListEntry> page = memories.list(query);
        while (true) {
            for (ListEntry e : page.items()) {
                if (e instanceof Memory m) {
                    all.add(m);
                }
            }
            if (page.nextCursor().isEmpty()) {
                return all;
            }
            page = memories.list(query.page(page.nextCursor().get()));
        }
    }
}
