package dev.agentmemory.internal;

import dev.agentmemory.model.Access;
import dev.agentmemory.model.Attachment;
import dev.agentmemory.model.MemoryStore;
import dev.agentmemory.model.SessionInfo;
import dev.agentmemory.model.StoreId;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the system-prompt section that describes a session's mounts. Store names, descriptions and instructions
 * are quoted as data in fenced blocks, so that text in them cannot pass itself off as the section's own structure.
 */
final class SystemPrompt {

    private SystemPrompt() {
    }

    static String render(SessionInfo info, Map<StoreId, Optional<MemoryStore>> current) {
        StringBuilder b = new StringBuilder();
        b.append("# Memory\n\n");
        if (info.attachments().isEmpty()) {
            b.append("No memory stores are attached to this session.\n");
            return b.toString();
        }
        b.append("Persistent memory stores are mounted as directories under ").append(Attachment.MOUNT_ROOT)
                .append(". Files there outlive this session: read them before you start, and keep what you")
                .append(" learn in small, focused files. Use your ordinary file tools on them. Every change is")
                .append(" recorded as a version attributed to this session. ").append(Attachment.MOUNT_ROOT)
                .append(" itself is read-only.\n");
        for (Attachment a : info.attachments()) {
            Optional<MemoryStore> store = current.getOrDefault(a.storeId(), Optional.empty());
            String access;
            if (store.isEmpty()) {
                access = "unavailable (the store was deleted)";
            } else if (store.get().isArchived()) {
                access = "read-only (the store is archived)";
            } else {
                access = a.access() == Access.READ_ONLY ? "read-only" : "read-write";
            }
            b.append("\n## ").append(a.mountPath()).append("\n\n");
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
