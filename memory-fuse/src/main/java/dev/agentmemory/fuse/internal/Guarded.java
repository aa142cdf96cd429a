package dev.agentmemory.fuse.internal;

import java.nio.ByteBuffer;
import java.util.function.IntSupplier;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.FuseConfig;
import org.cryptomator.jfuse.api.FuseConnInfo;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.FuseOperationsDecorator;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.Statvfs;
import org.cryptomator.jfuse.api.TimeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns anything a file system operation throws into EIO. The operations are called from native code through FFM
 * upcalls, where an uncaught exception ends the JVM: a bug or an unexpected failure must cost one request, not the
 * mount and every write in flight.
 *
 * @param delegate the file system
 */
public record Guarded(FuseOperations delegate) implements FuseOperationsDecorator {

    private static final Logger LOG = LoggerFactory.getLogger(Guarded.class);

    private static int guard(String op, String path, IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (RuntimeException | Error e) {
            LOG.error("{} {} failed unexpectedly; answering EIO", op, path, e);
            return -Errnos.EIO;
        }
    }

    @Override
    public void init(FuseConnInfo conn, FuseConfig cfg) {
        try {
            delegate.init(conn, cfg);
        } catch (RuntimeException e) {
            LOG.error("init failed", e);
        }
    }

    @Override
    public int getattr(String path, Stat stat, FileInfo fi) {
        return guard("getattr", path, () -> delegate.getattr(path, stat, fi));
    }

    @Override
    public int mknod(String path, short mode, int rdev) {
        return guard("mknod", path, () -> delegate.mknod(path, mode, rdev));
    }

    @Override
    public int mkdir(String path, int mode) {
        return guard("mkdir", path, () -> delegate.mkdir(path, mode));
    }

    @Override
    public int unlink(String path) {
        return guard("unlink", path, () -> delegate.unlink(path));
    }

    @Override
    public int rmdir(String path) {
        return guard("rmdir", path, () -> delegate.rmdir(path));
    }

    @Override
    public int symlink(String linkname, String target) {
        return guard("symlink", linkname, () -> delegate.symlink(linkname, target));
    }

    @Override
    public int rename(String oldpath, String newpath, int flags) {
        return guard("rename", oldpath, () -> delegate.rename(oldpath, newpath, flags));
    }

    @Override
    public int chmod(String path, int mode, FileInfo fi) {
        return guard("chmod", path, () -> delegate.chmod(path, mode, fi));
    }

    @Override
    public int chown(String path, int uid, int gid, FileInfo fi) {
        return guard("chown", path, () -> delegate.chown(path, uid, gid, fi));
    }

    @Override
    public int truncate(String path, long size, FileInfo fi) {
        return guard("truncate", path, () -> delegate.truncate(path, size, fi));
    }

    @Override
    public int open(String path, FileInfo fi) {
        return guard("open", path, () -> delegate.open(path, fi));
    }

    @Override
    public int read(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
        return guard("read", path, () -> delegate.read(path, buf, count, offset, fi));
    }

    @Override
    public int write(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
        return guard("write", path, () -> delegate.write(path, buf, count, offset, fi));
    }

    @Override
    public int statfs(String path, Statvfs statvfs) {
        return guard("statfs", path, () -> delegate.statfs(path, statvfs));
    }

    @Override
    public int flush(String path, FileInfo fi) {
        return guard("flush", path, () -> delegate.flush(path, fi));
    }

    @Override
    public int release(String path, FileInfo fi) {
        return guard("release", path, () -> delegate.release(path, fi));
    }

    @Override
    public int fsync(String path, int datasync, FileInfo fi) {
        return guard("fsync", path, () -> delegate.fsync(path, datasync, fi));
    }

    @Override
    public int opendir(String path, FileInfo fi) {
        return guard("opendir", path, () -> delegate.opendir(path, fi));
    }

    @Override
    public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
        return guard("readdir", path, () -> delegate.readdir(path, filler, offset, fi, flags));
    }

    @Override
    public int releasedir(String path, FileInfo fi) {
        return guard("releasedir", path, () -> delegate.releasedir(path, fi));
    }

    @Override
    public int create(String path, int mode, FileInfo fi) {
        return guard("create", path, () -> delegate.create(path, mode, fi));
    }

    @Override
    public int utimens(String path, TimeSpec atime, TimeSpec mtime, FileInfo fi) {
        return guard("utimens", path, () -> delegate.utimens(path, atime, mtime, fi));
    }
}
