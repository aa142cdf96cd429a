package dev.agentmemory.fuse.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Errno;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.FuseConfig;
import org.cryptomator.jfuse.api.FuseConnInfo;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.TimeSpec;

/**
 * The benchmark's floor: the most trivial in-memory FUSE file system (a map of paths to bytes, no versions, no rules,
 * no persistence), mounted through the same binding with the same options as the memory mount. What a memory mount
 * costs beyond this is the cost of being a memory store.
 */
final class HashMapFs implements FuseOperations {

    private final Errno errno;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Set<String> dirs = ConcurrentHashMap.newKeySet();
    private final Instant now = Instant.now();

    HashMapFs(Errno errno) {
        this.errno = errno;
        dirs.add("/");
    }

    @Override
    public Errno errno() {
        return errno;
    }

    @Override
    public Set<Operation> supportedOperations() {
        return EnumSet.of(Operation.INIT, Operation.GET_ATTR, Operation.OPEN, Operation.CREATE, Operation.READ,
                Operation.WRITE, Operation.FLUSH, Operation.RELEASE, Operation.TRUNCATE, Operation.OPEN_DIR,
                Operation.READ_DIR, Operation.RELEASE_DIR, Operation.MKDIR, Operation.RMDIR, Operation.UNLINK,
                Operation.RENAME, Operation.UTIMENS, Operation.CHMOD, Operation.CHOWN);
    }

    @Override
    public void init(FuseConnInfo conn, FuseConfig cfg) {
        conn.setWant(conn.want() | (conn.capable() & FuseConnInfo.FUSE_CAP_ATOMIC_O_TRUNC));
    }

    @Override
    public int getattr(String path, Stat stat, FileInfo fi) {
        byte[] f = files.get(path);
        if (f != null) {
            stat.setMode(Stat.S_IFREG | 0644);
            stat.setNLink((short) 1);
            stat.setSize(f.length);
        } else if (dirs.contains(path)) {
            stat.setMode(Stat.S_IFDIR | 0755);
            stat.setNLink((short) 2);
        } else {
            return -errno.enoent();
        }
        stat.mTime().set(now);
        stat.cTime().set(now);
        stat.aTime().set(now);
        return 0;
    }

    @Override
    public int opendir(String path, FileInfo fi) {
        return dirs.contains(path) ? 0 : -errno.enoent();
    }

    @Override
    public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
        String prefix = path.equals("/") ? "/" : path + "/";
        Set<String> names = new TreeSet<>();
        for (String p : files.keySet()) {
            if (p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0) {
                names.add(p.substring(prefix.length()));
            }
        }
        for (String p : dirs) {
            if (p.startsWith(prefix) && p.length() > prefix.length() && p.indexOf('/', prefix.length()) < 0) {
                names.add(p.substring(prefix.length()));
            }
        }
        filler.fill(".", s -> s.setMode(Stat.S_IFDIR | 0755), 0, 0);
        filler.fill("..", s -> s.setMode(Stat.S_IFDIR | 0755), 0, 0);
        for (String n : names) {
            int mode = files.containsKey(prefix + n) ? Stat.S_IFREG | 0644 : Stat.S_IFDIR | 0755;
            filler.fill(n, s -> s.setMode(mode), 0, 0);
        }
        return 0;
    }

    @Override
    public int releasedir(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int mkdir(String path, int mode) {
        return dirs.add(path) ? 0 : -errno.eexist();
    }

    @Override
    public int rmdir(String path) {
        return dirs.remove(path) ? 0 : -errno.enoent();
    }

    @Override
    public int create(String path, int mode, FileInfo fi) {
        files.putIfAbsent(path, new byte[0]);
        return 0;
    }

    @Override
    public int open(String path, FileInfo fi) {
        if (!files.containsKey(path)) {
            return -errno.enoent();
        }
        if ((fi.getFlags() & 01000) != 0) {
            files.put(path, new byte[0]);
        }
        return 0;
    }

    @Override
    public int read(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
        byte[] f = files.get(path);
        if (f == null) {
            return -errno.enoent();
        }
        if (offset >= f.length) {
            return 0;
        }
        int n = (int) Math.min(count, f.length - offset);
        buf.put(f, (int) offset, n);
        return n;
    }

    @Override
    public int write(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
        boolean append = (fi.getFlags() & 02000) != 0;
        synchronized (this) {
            byte[] f = files.getOrDefault(path, new byte[0]);
            long pos = append ? f.length : offset;
            byte[] out = Arrays.copyOf(f, (int) Math.max(f.length, pos + count));
            buf.get(out, (int) pos, (int) count);
            files.put(path, out);
        }
        return (int) count;
    }

    @Override
    public int truncate(String path, long size, FileInfo fi) {
        byte[] f = files.get(path);
        if (f == null) {
            return -errno.enoent();
        }
        files.put(path, Arrays.copyOf(f, (int) size));
        return 0;
    }

    @Override
    public int flush(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int release(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int unlink(String path) {
        return files.remove(path) != null ? 0 : -errno.enoent();
    }

    @Override
    public int rename(String from, String to, int flags) {
        byte[] f = files.remove(from);
        if (f == null) {
            return -errno.enoent();
        }
        files.put(to, f);
        return 0;
    }

    @Override
    public int utimens(String path, TimeSpec atime, TimeSpec mtime, FileInfo fi) {
        return 0;
    }

    @Override
    public int chmod(String path, int mode, FileInfo fi) {
        return 0;
    }

    @Override
    public int chown(String path, int uid, int gid, FileInfo fi) {
        return 0;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
