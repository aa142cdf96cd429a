package dev.agentmemory.fuse.internal;

import dev.agentmemory.Memories;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.model.EditTarget;
import dev.agentmemory.model.Memory;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes open files to the store: each file's bytes as one version (an update conditional on the version it was
 * opened at, or a create), an O_APPEND writer's bytes on top of whatever the memory holds by then, and, for a file
 * written later, the core's check of that write now. It decides nothing itself: every rule is the core's, every
 * refusal an errno from {@link Errnos}. Each method is called with the file's monitor held.
 */
final class Committer {

    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    /** Told where a file's bytes went, so that the file system's own state follows. */
    interface Outcomes {
        /**
         * The store holds the file's bytes as {@code memory}.
         *
         * @param f the file
         * @param memory the memory now holding its bytes
         * @param before the store's revision read just before the write (the write itself committed after it)
         */
        void landed(OpenFile f, Memory memory, long before);

        /**
         * The file no longer waits to land: it was written, or refused and is forgotten.
         *
         * @param f the file
         */
        void settled(OpenFile f);
    }

    private final Memories memories;
    private final String slug;
    private final Outcomes outcomes;

    Committer(Memories memories, String slug, Outcomes outcomes) {
        this.memories = memories;
        this.slug = slug;
        this.outcomes = outcomes;
    }

    /**
     * Writes an open file's bytes as one version. An O_APPEND writer's bytes go on top of the memory's content as it
     * is when the write commits (by id, so a rename meanwhile is followed; created again if it was deleted), through
     * the core's read-modify-write, which re-reads and retries while other writers commit.
     *
     * @param f the file
     * @return 0, or a negative errno
     */
    int commit(OpenFile f) {
        try {
            long before = memories.revision();
            Memory m;
            byte[] stored;
            if (f.appendOnly) {
                byte[] appended = f.appended();
                EditTarget target = (f.isNew() ? EditTarget.path(f.path)
                        : EditTarget.memory(f.base.get().id(), f.path)).orCreate();
                m = memories.edit(target, current -> concat(current, appended)).memory().orElseThrow();
                stored = null; // the current content is only known inside the write: read back below
            } else {
                stored = f.bytes();
                m = f.isNew() ? memories.create(f.path, stored)
                        : memories.update(f.base.get().id(), stored, f.base.get().contentSha256());
            }
            f.committed(m, stored != null ? stored : m.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            outcomes.landed(f, m, before);
            return 0;
        } catch (MemoryException e) {
            f.dirty = false;
            if (f.isNew()) {
                f.detached = true;
                outcomes.settled(f);
            }
            return fail("close", f.path, e);
        }
    }

    /**
     * Asks the core whether the write a file will make later would be accepted now; if not, the file is refused
     * now and never written. A file created as {@code mkstemp} does must also still be new, and only its content is
     * checked.
     *
     * @param f the file
     * @return 0, or a negative errno
     */
    int check(OpenFile f) {
        try {
            if (!f.written && f.checkedAtRevision != Long.MIN_VALUE
                    && f.checkedAtRevision == memories.revision()) {
                return 0; // checked at open, and neither the file nor the store changed since
            }
            if (f.exclusive && f.isNew()) {
                // Usually renamed over another file before it lands, so it is checked as content only: where it
                // lands is not known yet, and an edit through a temporary file must work in a full store.
                if (memories.findByPath(f.path).isPresent()) {
                    refuse(f);
                    return -Errnos.EEXIST;
                }
                memories.checkContent(f.bytes());
            } else {
                memories.checkWrite(f.path, f.bytes());
            }
            return 0;
        } catch (MemoryException e) {
            refuse(f);
            return fail("close", f.path, e);
        }
    }

    private void refuse(OpenFile f) {
        f.dirty = false;
        if (f.isNew()) {
            f.detached = true;
            outcomes.settled(f);
        }
    }

    /**
     * Writes what a closed file still holds. The kernel ignores errors from the last close, so a refusal here can only
     * be logged; the closing process was told at its flush, which checked the same write.
     *
     * @param f the file
     */
    void land(OpenFile f) {
        if (f.dirty && !f.detached) {
            int rc = commit(f);
            if (rc != 0) {
                LOG.warn("mount {}: {} could not be written when it was last closed (errno {})", slug, f.path, -rc);
            }
        }
        outcomes.settled(f);
    }

    int fail(String op, String path, MemoryException e) {
        int code = Errnos.of(e);
        if (code == Errnos.EIO) {
            LOG.warn("mount {}: {} {} failed: {}", slug, op, path, e.toString());
        } else {
            LOG.debug("mount {}: {} {} refused: {}", slug, op, path, e.getMessage());
        }
        return -code;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
