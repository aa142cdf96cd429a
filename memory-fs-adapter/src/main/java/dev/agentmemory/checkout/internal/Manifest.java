package dev.agentmemory.checkout.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The checkout's record of what it last agreed with the store: per mount the store, access and revision last
 * pulled, and per file its memory id, the SHA-256 of the content both sides had, and the host file's size, mtime
 * and file key when that content was seen. A text file, written to a temporary file, forced to disk and moved over
 * the old one atomically. Not thread-safe: the engine guards it.
 */
final class Manifest {

    static final String MAGIC = "agent-memory-checkout 1";

    final String sessionId;
    final String workspaceId;
    final Map<String, MountState> mounts = new LinkedHashMap<>();

    Manifest(String sessionId, String workspaceId) {
        this.sessionId = sessionId;
        this.workspaceId = workspaceId;
    }

    /** One mount's state. */
    static final class MountState {
        final String slug;
        final String storeId;
        String access;
        long revision;
        /** Memory path to entry. */
        final Map<String, Entry> entries = new LinkedHashMap<>();

        MountState(String slug, String storeId, String access, long revision) {
            this.slug = slug;
            this.storeId = storeId;
            this.access = access;
            this.revision = revision;
        }
    }

    /**
     * One file both sides agreed on.
     *
     * @param memoryId the memory's id
     * @param sha the content's SHA-256 as both sides had it
     * @param size the host file's size then
     * @param mtimeNanos its modification time then, in nanoseconds since the epoch
     * @param fileKey its file key (device and inode) then, or {@code -}
     * @param racy true if the file may have been changed within the same clock tick it was seen in, so its stat
     *     alone cannot prove it unchanged: such an entry is hashed on every sync until it is old enough
     */
    record Entry(String memoryId, String sha, long size, long mtimeNanos, String fileKey, boolean racy) {
    }

    static Optional<Manifest> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String magic = in.readLine();
            if (!MAGIC.equals(magic)) {
                throw new IOException("not a checkout manifest (first line '" + magic + "'): " + file);
            }
            Manifest m = null;
            MountState mount = null;
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split("\t", -1);
                switch (f[0]) {
                    case "session" -> m = new Manifest(f[1], f[2]);
                    case "mount" -> {
                        mount = new MountState(f[1], f[2], f[3], Long.parseLong(f[4]));
                        m.mounts.put(mount.slug, mount);
                    }
                    case "file" -> mount.entries.put(f[1], new Entry(f[2], f[3], Long.parseLong(f[4]),
                            Long.parseLong(f[5]), f[6], f[7].equals("1")));
                    default -> throw new IOException("unexpected line in checkout manifest " + file + ": " + line);
                }
            }
            if (m == null) {
                throw new IOException("checkout manifest without a session line: " + file);
            }
            return Optional.of(m);
        } catch (RuntimeException e) {
            throw new IOException("corrupt checkout manifest " + file + ": " + e, e);
        }
    }

    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            out.write(MAGIC);
            out.write('\n');
            out.write("session\t" + sessionId + "\t" + workspaceId + "\n");
            StringBuilder sb = new StringBuilder(128);
            for (MountState mount : mounts.values()) {
                out.write("mount\t" + mount.slug + "\t" + mount.storeId + "\t" + mount.access + "\t"
                        + mount.revision + "\n");
                for (Map.Entry<String, Entry> e : mount.entries.entrySet()) {
                    Entry v = e.getValue();
                    sb.setLength(0);
                    sb.append("file\t").append(e.getKey()).append('\t').append(v.memoryId()).append('\t')
                            .append(v.sha()).append('\t').append(v.size()).append('\t').append(v.mtimeNanos())
                            .append('\t').append(v.fileKey()).append('\t').append(v.racy() ? '1' : '0').append('\n');
                    out.write(sb.toString());
                }
            }
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
