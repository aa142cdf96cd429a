package dev.agentmemory.fuse.internal;

import dev.agentmemory.InvalidArgumentException;
import dev.agentmemory.LimitExceededException;
import dev.agentmemory.MemoryException;
import dev.agentmemory.NotFoundException;
import dev.agentmemory.PathConflictException;
import dev.agentmemory.PreconditionFailedException;
import dev.agentmemory.ReadOnlyException;

/**
 * Linux errno values, and the one place where the core's exceptions become them. The mount decides nothing: each
 * refusal is the core's, translated here.
 */
public final class Errnos {

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int EFBIG = 27;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int ENAMETOOLONG = 36;
    static final int ENOTEMPTY = 39;
    static final int EILSEQ = 84;
    static final int ENOTCONN = 107;
    static final int ESTALE = 116;

    private Errnos() {
    }

    /**
     * Translates a core exception to the errno a shell command sees.
     *
     * <table>
     * <caption>The mapping</caption>
     * <tr><th>core</th><th>errno</th></tr>
     * <tr><td>NotFoundException</td><td>ENOENT</td></tr>
     * <tr><td>PreconditionFailedException (another writer changed the file since it was opened)</td>
     *     <td>ESTALE</td></tr>
     * <tr><td>PathConflictException</td><td>EEXIST</td></tr>
     * <tr><td>ReadOnlyException, ArchivedException</td><td>EROFS</td></tr>
     * <tr><td>LimitExceededException content_size_bytes</td><td>EFBIG</td></tr>
     * <tr><td>LimitExceededException memories_per_store</td><td>ENOSPC</td></tr>
     * <tr><td>LimitExceededException path_bytes, path_segments</td><td>ENAMETOOLONG</td></tr>
     * <tr><td>InvalidArgumentException</td><td>EINVAL</td></tr>
     * <tr><td>anything else (StorageException)</td><td>EIO</td></tr>
     * </table>
     *
     * @param e the core's exception
     * @return a positive errno
     */
    public static int of(MemoryException e) {
        if (e instanceof NotFoundException) {
            return ENOENT;
        }
        if (e instanceof PreconditionFailedException) {
            return ESTALE;
        }
        if (e instanceof PathConflictException) {
            return EEXIST;
        }
        if (e instanceof ReadOnlyException) {
            return EROFS;
        }
        if (e instanceof LimitExceededException l) {
            return switch (l.limit()) {
                case "content_size_bytes" -> EFBIG;
                case "memories_per_store" -> ENOSPC;
                case "path_bytes", "path_segments" -> ENAMETOOLONG;
                default -> EINVAL;
            };
        }
        if (e instanceof InvalidArgumentException) {
            return EINVAL;
        }
        return EIO;
    }
}
