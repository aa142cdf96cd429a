package dev.agentmemory.fuse.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the kernel has mounted where ({@code /proc/self/mountinfo}), and the clearing of FUSE mounts whose process
 * died (their directory answers ENOTCONN, "Transport endpoint is not connected").
 */
public final class MountTable {

    private MountTable() {
    }

    /** A directory's state before mounting. */
    public enum State {
        /** No mount: a plain directory (or nothing). */
        FREE,
        /** A FUSE mount whose process is gone. */
        STALE,
        /** Something is mounted and answering. */
        LIVE
    }

    /**
     * Returns the file system type mounted exactly at a directory, if any.
     *
     * @param dir an absolute, normalised directory
     * @return for example {@code fuse.agent-memory}, or empty
     * @throws IOException if the mount table cannot be read
     */
    public static java.util.Optional<String> typeAt(Path dir) throws IOException {
        String want = dir.toString();
        java.util.Optional<String> found = java.util.Optional.empty();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length > 4 && dash > 0 && dash + 1 < f.length && unescape(f[4]).equals(want)) {
                found = java.util.Optional.of(f[dash + 1]); // the last one stacked there wins
            }
        }
        return found;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Tells whether a directory is free, a dead FUSE mount or a live mount.
     *
     * @param dir the directory
     * @return its state
     * @throws IOException if it cannot be told
     */
    public static State state(Path dir) throws IOException {
        try {
            Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            return State.FREE;
        } catch (FileSystemException e) {
            if (String.valueOf(e.getReason()).contains("not connected")) {
                return State.STALE;
            }
            throw e;
        }
        return typeAt(dir.toRealPath()).isPresent() ? State.LIVE : State.FREE;
    }

    /**
     * Detaches a mount (lazily, so a shell still inside it does not keep it), with {@code fusermount3}, or
     * {@code umount -l} when that is missing.
     *
     * @param dir the mount point
     * @return true if the command succeeded
     */
    public static boolean detach(Path dir) {
        for (List<String> cmd : List.of(List.of("fusermount3", "-u", "-z", dir.toString()),
                List.of("umount", "-l", dir.toString()))) {
            if (run(cmd)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Unmounts gracefully (fails if a process still uses the mount).
     *
     * @param dir the mount point
     * @return true if it was unmounted
     */
    public static boolean unmount(Path dir) {
        return run(List.of("fusermount3", "-u", dir.toString()));
    }

    private static boolean run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
