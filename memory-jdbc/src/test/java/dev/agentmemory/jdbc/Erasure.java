package dev.agentmemory.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Helpers of the physical-erasure tests: unguessable markers, and a byte search of database files that reports where
 * a marker (or any third of it) was found, in UTF-8 or UTF-16.
 */
final class Erasure {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Erasure() {
    }

    /**
     * Returns random hex: incompressible enough that no storage engine keeps it in a form the search would miss, and
     * so unlikely that finding it anywhere means it was written there.
     *
     * @param chars the number of hex digits
     * @return the hex text
     */
    static String randomHex(int chars) {
        byte[] bytes = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).substring(0, chars);
    }

    /**
     * Returns a marker: 96 random hex digits.
     *
     * @return the marker
     */
    static String marker() {
        return randomHex(96);
    }

    /**
     * Reads a file whole, through a {@code cat} in another process; a file that does not exist reads as no bytes.
     *
     * <p>Not with {@code Files.readAllBytes}: POSIX record locks belong to the process, and closing any descriptor of a
     * file drops every lock the process holds on it. Reading a SQLite database file in this JVM would silently drop
     * the locks of a backend open on it here, so that another process (a {@code sqlite3} shell ending) could take
     * itself for the last connection, checkpoint and delete the write-ahead log under the open backend, whose next
     * writes are then lost: a test defect the erasure tests hit now and then, never a state a user's process reaches.
     *
     * @param file the file
     * @return its bytes
     */
    static byte[] read(Path file) {
        if (!Files.exists(file)) {
            return new byte[0];
        }
        try {
            Process cat = new ProcessBuilder("cat", "--", file.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] bytes;
            try (InputStream in = cat.getInputStream()) {
                bytes = in.readAllBytes();
            }
            if (cat.waitFor() != 0) {
                if (!Files.exists(file)) {
                    return new byte[0]; // removed while it was read (a write-ahead log emptied by a checkpoint)
                }
                throw new IllegalStateException("cat could not read " + file + ": exit code " + cat.exitValue());
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + file, e);
        }
    }

    /**
     * Searches files for a marker: the whole marker and each third of it, in UTF-8, UTF-16LE and UTF-16BE.
     *
     * @param files the files (missing ones read as empty)
     * @param marker the marker
     * @return where it was found, for example {@code memory.db-wal @4096 (UTF-8, whole)}; empty if nowhere
     */
    static List<String> findings(List<Path> files, String marker) {
        List<String> needles = new ArrayList<>(List.of(marker));
        int third = marker.length() / 3;
        for (int i = 0; i < 3; i++) {
            needles.add(marker.substring(i * third, (i + 1) * third));
        }
        List<String> out = new ArrayList<>();
        for (Path file : files) {
            byte[] hay = read(file);
            for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
                for (int n = 0; n < needles.size(); n++) {
                    int at = indexOf(hay, needles.get(n).getBytes(cs));
                    if (at >= 0) {
                        out.add(file.getFileName() + " @" + at + " (" + cs + ", " + (n == 0 ? "whole" : "part " + n)
                                + ")");
                    }
                }
            }
        }
        return out;
    }

    /**
     * Finds bytes in bytes.
     *
     * @param hay where to search
     * @param needle what to search
     * @return the first index, or -1
     */
    static int indexOf(byte[] hay, byte[] needle) {
        if (needle.length == 0) {
            return 0;
        }
        byte first = needle[0];
        outer:
        for (int i = 0, last = hay.length - needle.length; i <= last; i++) {
            if (hay[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
