package dev.agentmemory.fuse.internal;

/**
 * What closing an open file does, decided from its state alone (no I/O), so that the rules can be read and tested as
 * a table. The kernel sends {@code flush} at every {@code close()} of a descriptor, where an error still reaches the
 * closing process, and {@code release} after the last one, where it does not.
 */
final class ClosePlan {

    /** What a {@code flush} (any {@code close()}) does. */
    enum AtFlush {
        /** Nothing to write: unchanged, or already written, or removed meanwhile. */
        NOTHING,
        /**
         * The bytes are written later (at the last close, or at the rename that usually follows), so they are only
         * checked now: the closing process learns of a refusal the later write would meet.
         */
        CHECK,
        /** The bytes are written now, as one version. */
        COMMIT
    }

    /** What a {@code release} (the last close) does. */
    enum AtRelease {
        /** Nothing is left to write. */
        NOTHING,
        /** What the file still holds is written now. */
        LAND_NOW,
        /** The file waits a moment for the rename that usually follows, then is written if still unnamed. */
        LAND_LATER
    }

    private ClosePlan() {
    }

    /**
     * Decides a flush.
     *
     * @param dirty the file holds bytes the store does not
     * @param detached the file was removed or renamed away while open
     * @param written a write or a truncation came after the open (an O_TRUNC or O_CREAT open alone does not count:
     *     that is a shell closing the descriptor it duplicated onto a command's output, and the data comes later)
     * @param exclusiveNew the file was created as {@code mkstemp} does and is not in the store yet
     * @return what to do
     */
    static AtFlush atFlush(boolean dirty, boolean detached, boolean written, boolean exclusiveNew) {
        if (!dirty || detached) {
            return AtFlush.NOTHING;
        }
        if (!written || exclusiveNew) {
            return AtFlush.CHECK;
        }
        return AtFlush.COMMIT;
    }

    /**
     * Decides a release.
     *
     * @param dirty the file holds bytes the store does not
     * @param detached the file was removed or renamed away while open
     * @param exclusiveNew the file was created as {@code mkstemp} does and is not in the store yet
     * @return what to do
     */
    static AtRelease atRelease(boolean dirty, boolean detached, boolean exclusiveNew) {
        if (!dirty || detached) {
            return AtRelease.NOTHING;
        }
        return exclusiveNew ? AtRelease.LAND_LATER : AtRelease.LAND_NOW;
    }
}
