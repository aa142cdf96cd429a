package dev.agentmemory.fs.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A path of a {@link MemoryFileSystem}: Unix syntax, {@code /} separated, compared as strings. Immutable. */
public final class MemoryPath implements Path {

    private final MemoryFileSystem fs;
    private final boolean absolute;
    private final String[] names;
    private final String string;

    MemoryPath(MemoryFileSystem fs, boolean absolute, String[] names) {
        this(fs, absolute, names, (absolute ? "/" : "") + String.join("/", names));
    }

    private MemoryPath(MemoryFileSystem fs, boolean absolute, String[] names, String string) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = names;
        this.string = string;
    }

    /** Returns the child of this (absolute) directory path with one more name, without re-joining the names. */
    MemoryPath child(String name) {
        String[] child = Arrays.copyOf(names, names.length + 1);
        child[names.length] = name;
        return new MemoryPath(fs, absolute, child, names.length == 0 && absolute ? "/" + name : string + "/" + name);
    }

    static MemoryPath parse(MemoryFileSystem fs, String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append('/');
                }
                sb.append(m);
            }
        }
        String s = sb.toString();
        if (s.indexOf('\0') >= 0) {
            throw new InvalidPathException(s, "a path may not contain NUL", s.indexOf('\0'));
        }
        boolean abs = s.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String p : s.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        if (!abs && parts.isEmpty()) {
            return new MemoryPath(fs, false, new String[] {""});
        }
        return new MemoryPath(fs, abs, parts.toArray(String[]::new));
    }

    String[] names() {
        return names;
    }

    private boolean isEmptyPath() {
        return !absolute && names.length == 1 && names[0].isEmpty();
    }

    static MemoryPath check(Path path) {
        Objects.requireNonNull(path, "path");
        if (!(path instanceof MemoryPath)) {
            throw new ProviderMismatchException("not a memory path: " + path + " (" + path.getClass().getName() + ")");
        }
        return (MemoryPath) path;
    }

    @Override
    public MemoryFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public MemoryPath getRoot() {
        return absolute ? new MemoryPath(fs, true, new String[0]) : null;
    }

    @Override
    public MemoryPath getFileName() {
        if (names.length == 0) {
            return null;
        }
        if (names.length == 1 && !absolute) {
            return this;
        }
        return new MemoryPath(fs, false, new String[] {names[names.length - 1]});
    }

    @Override
    public MemoryPath getParent() {
        if (names.length == 0 || (names.length == 1 && !absolute)) {
            return null;
        }
        return new MemoryPath(fs, absolute, Arrays.copyOf(names, names.length - 1));
    }

    @Override
    public int getNameCount() {
        return names.length;
    }

    @Override
    public MemoryPath getName(int index) {
        if (index < 0 || index >= names.length) {
            throw new IllegalArgumentException("no name " + index + " in " + string);
        }
        return new MemoryPath(fs, false, new String[] {names[index]});
    }

    @Override
    public MemoryPath subpath(int beginIndex, int endIndex) {
        if (beginIndex < 0 || beginIndex >= names.length || endIndex > names.length || beginIndex >= endIndex) {
            throw new IllegalArgumentException("bad subpath [" + beginIndex + ", " + endIndex + ") of " + string);
        }
        return new MemoryPath(fs, false, Arrays.copyOfRange(names, beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(Objects.requireNonNull(other) instanceof MemoryPath) || other.getFileSystem() != fs) {
            return false;
        }
        MemoryPath o = (MemoryPath) other;
        if (o.absolute != absolute || o.names.length > names.length) {
            return false;
        }
        if (o.isEmptyPath()) {
            return isEmptyPath();
        }
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(Objects.requireNonNull(other) instanceof MemoryPath) || other.getFileSystem() != fs) {
            return false;
        }
        MemoryPath o = (MemoryPath) other;
        if (o.absolute) {
            return equals(o);
        }
        if (o.names.length > names.length) {
            return false;
        }
        if (o.isEmptyPath()) {
            return isEmptyPath();
        }
        int off = names.length - o.names.length;
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[off + i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public MemoryPath normalize() {
        List<String> out = new ArrayList<>();
        boolean changed = false;
        for (String n : names) {
            if (n.equals(".")) {
                changed = true;
            } else if (n.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                    changed = true;
                } else if (absolute) {
                    changed = true;
                } else {
                    out.add(n);
                }
            } else {
                out.add(n);
            }
        }
        if (!changed) {
            return this;
        }
        if (!absolute && out.isEmpty()) {
            return new MemoryPath(fs, false, new String[] {""});
        }
        return new MemoryPath(fs, absolute, out.toArray(String[]::new));
    }

    @Override
    public MemoryPath resolve(Path other) {
        MemoryPath o = check(other);
        if (o.absolute) {
            return o;
        }
        if (o.isEmptyPath()) {
            return this;
        }
        if (isEmptyPath()) {
            return o;
        }
        String[] joined = Arrays.copyOf(names, names.length + o.names.length);
        System.arraycopy(o.names, 0, joined, names.length, o.names.length);
        return new MemoryPath(fs, absolute, joined);
    }

    @Override
    public MemoryPath resolve(String other) {
        return resolve(parse(fs, other));
    }

    @Override
    public MemoryPath relativize(Path other) {
        MemoryPath o = check(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("cannot relativize " + o + " against " + this
                    + ": one is absolute and the other relative");
        }
        if (equals(o)) {
            return new MemoryPath(fs, false, new String[] {""});
        }
        String[] a = isEmptyPath() ? new String[0] : names;
        String[] b = o.isEmptyPath() ? new String[0] : o.names;
        int common = 0;
        while (common < a.length && common < b.length && a[common].equals(b[common])) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < a.length; i++) {
            out.add("..");
        }
        out.addAll(Arrays.asList(b).subList(common, b.length));
        if (out.isEmpty()) {
            return new MemoryPath(fs, false, new String[] {""});
        }
        return new MemoryPath(fs, false, out.toArray(String[]::new));
    }

    @Override
    public URI toUri() {
        MemoryPath abs = toAbsolutePath().normalize();
        String p = abs.string;
        if (abs.names.length > 0 && fs.isDirectoryQuietly(abs)) {
            p = p + "/";
        }
        return MemoryFileSystemProvider.uri(fs.key(), p);
    }

    @Override
    public MemoryPath toAbsolutePath() {
        if (absolute) {
            return this;
        }
        return fs.root().resolve(this);
    }

    @Override
    public MemoryPath toRealPath(LinkOption... options) throws IOException {
        MemoryPath real = toAbsolutePath().normalize();
        if (!fs.existsQuietly(real)) {
            throw new NoSuchFileException(toString());
        }
        return real;
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        Objects.requireNonNull(watcher, "watcher");
        if (!(watcher instanceof MemoryWatchService) || ((MemoryWatchService) watcher).fileSystem() != fs) {
            throw new ProviderMismatchException("the watch service is not this memory file system's");
        }
        return ((MemoryWatchService) watcher).register(this, events);
    }

    @Override
    public int compareTo(Path other) {
        return string.compareTo(((MemoryPath) other).string);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryPath && ((MemoryPath) o).fs == fs && ((MemoryPath) o).string.equals(string);
    }

    @Override
    public int hashCode() {
        return string.hashCode();
    }

    @Override
    public String toString() {
        return string;
    }
}
