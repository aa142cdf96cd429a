package dev.agentmemory.fuse.internal;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.error.LimitExceededException;
import dev.agentmemory.error.MemoryException;

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
     * <tr><td>InvalidArgumentException about content (bytes that are not UTF-8)</td><td>EILSEQ</td></tr>
     * <tr><td>InvalidArgumentException about anything else (a path rule), WriteBlockedException</td>
     *     <td>EINVAL</td></tr>
     * <tr><td>anything else (StorageException)</td><td>EIO</td></tr>
     * </table>
     *
     * @param e the core's exception
     * @return a positive errno
     */
    public static int of(MemoryException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> ENOENT;
            case PRECONDITION_FAILED -> ESTALE;
            case PATH_CONFLICT -> EEXIST;
            case READ_ONLY, ARCHIVED -> EROFS;
            case LIMIT_EXCEEDED -> switch (((LimitExceededException) e).which()) {
                case CONTENT_SIZE_BYTES -> EFBIG;
                case MEMORIES_PER_STORE -> ENOSPC;
                case PATH_BYTES, PATH_SEGMENTS -> ENAMETOOLONG;
                case STORE_METADATA_PAIRS, ATTACHMENTS_PER_SESSION, STORE_NAME_CHARS, STORE_DESCRIPTION_CHARS,
                        STORE_METADATA_KEY_CHARS, STORE_METADATA_VALUE_CHARS, ATTACHMENT_INSTRUCTIONS_CHARS -> EINVAL;
            };
            case INVALID_ARGUMENT -> ((InvalidArgumentException) e).subject() == InvalidArgumentException.Subject.CONTENT
                    ? EILSEQ : EINVAL;
            case WRITE_BLOCKED -> EINVAL;
            case CONFLICT, STORAGE, SURFACE -> EIO;
        };
    }
}
