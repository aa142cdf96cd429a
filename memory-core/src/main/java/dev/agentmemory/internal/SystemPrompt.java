package dev.agentmemory.internal;

import dev.agentmemory.model.Access;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders the system-prompt section that describes a session's mounts: one for the session's file view
 * ({@code /mnt/memory/<slug>/}) and one for the memory tool ({@code /memories/<slug>/}), the same apart from the paths
 * and the opening paragraph. Store names, descriptions and instructions are quoted as data in fenced blocks, so that
 * text in them cannot pass itself off as the section's own structure. Thread-safe (stateless); public only so that the
 * memory tool's implementation can use it.
 */
public final class SystemPrompt {

    private SystemPrompt() {
    }

    /**
     * One mount as the prompt describes it.
     *
     * @param path the mount's directory as the agent reaches it, ending in {@code /}
     * @param attachment the attachment
     * @param current the store as it is now, empty if it was deleted
     */
    public record Entry(String path, Attachment attachment, Optional<MemoryStore> current) {

        /** Checks every field is present. */
        public Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(attachment, "attachment");
            Objects.requireNonNull(current, "current");
        }
    }

    static String render(SessionInfo info, Map<StoreId, Optional<MemoryStore>> current) {
        List<Entry> entries = new ArrayList<>();
        for (Attachment a : info.attachments()) {
            entries.add(new Entry(a.mountPath(), a, current.getOrDefault(a.storeId(), Optional.empty())));
        }
        return render("Persistent memory stores are mounted as directories under " + Attachment.MOUNT_ROOT
                + ". Files there outlive this session: read them before you start, and keep what you learn in small,"
                + " focused files. Use your ordinary file tools on them. Every change is recorded as a version"
                + " attributed to this session. " + Attachment.MOUNT_ROOT + " itself is read-only.", entries);
    }

    /**
     * Renders the section.
     *
     * @param intro the opening paragraph, shown when there is at least one mount
     * @param entries the mounts, in the order to list them
     * @return the section, in Markdown
     */
    public static String render(String intro, List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        b.append("# Memory\n\n");
        if (entries.isEmpty()) {
            b.append("No memory stores are attached to this session.\n");
            return b.toString();
        }
        b.append(intro).append('\n');
        for (Entry e : entries) {
            Attachment a = e.attachment();
            Optional<MemoryStore> store = e.current();
            String access;
            if (store.isEmpty()) {
                access = "unavailable (the store was deleted)";
            } else if (store.get().isArchived()) {
                access = "read-only (the store is archived)";
            } else {
                access = a.access() == Access.READ_ONLY ? "read-only" : "read-write";
            }
            b.append("\n## ").append(e.path()).append("\n\n");
            b.append("- Access: ").append(access).append('\n');
            b.append("- Store name:\n").append(fence(a.storeName()));
            if (!a.storeDescription().isEmpty()) {
                b.append("- Store description:\n").append(fence(a.storeDescription()));
            }
            if (!a.instructions().isEmpty()) {
                b.append("- Instructions for this session:\n").append(fence(a.instructions()));
            }
        }
        return b.toString();
    }

    /** Quotes text in a fence longer than any run of backticks inside it. */
    private static String fence(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String f = "`".repeat(Math.max(3, longest + 1));
        return "  " + f + "text\n" + indent(text) + "\n  " + f + "\n";
    }

    private static String indent(String text) {
        // a lone CR is a line break too (CommonMark): make it one, or it merges with the fence's own line break
        return "  " + text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\n  ");
    }
}
