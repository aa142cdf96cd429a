package dev.agentmemory.fs.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.model.Access;
import dev.agentmemory.model.Attachment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One attachment as the file system sees it: its slug, its memories handle, and the empty directories created
 * through this file system instance (store paths such as {@code /a/b}), which the store itself cannot hold.
 */
final class Mount {

    final String slug;
    final Attachment attachment;
    final Memories memories;
    final Set<String> emptyDirs = ConcurrentHashMap.newKeySet();

    Mount(Attachment attachment, Memories memories) {
        this.slug = attachment.slug();
        this.attachment = attachment;
        this.memories = memories;
    }

    boolean readOnlyAccess() {
        return memories.access() == Access.READ_ONLY;
    }

    /** Forgets the empty-directory markers of a store path's ancestors: a file landed under them. */
    void fileLanded(String storePath) {
        if (emptyDirs.isEmpty()) {
            return;
        }
        int i = storePath.lastIndexOf('/');
        while (i > 0) {
            emptyDirs.remove(storePath.substring(0, i));
            i = storePath.lastIndexOf('/', i - 1);
        }
    }

    /** Keeps a file's directory visible after the file left it (unless it is the mount root). */
    void fileLeft(String storePath) {
        int i = storePath.lastIndexOf('/');
        if (i > 0) {
            emptyDirs.add(storePath.substring(0, i));
        }
    }
}
