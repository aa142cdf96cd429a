package dev.agentmemory.fs.internal;

import dev.agentmemory.fs.MemoryFileAttributeView;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;

/** One mount as a {@link FileStore}: named by its slug, read-only if the attachment is. Immutable. */
final class MemoryFileStore extends FileStore {

    private final String name;
    private final boolean readOnly;

    MemoryFileStore(Mount mount) {
        this(mount.slug, mount.readOnlyAccess());
    }

    MemoryFileStore(String name, boolean readOnly) {
        this.name = name;
        this.readOnly = readOnly;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "agentmemory";
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public long getTotalSpace() {
        return Long.MAX_VALUE;
    }

    @Override
    public long getUsableSpace() {
        return readOnly ? 0 : Long.MAX_VALUE;
    }

    @Override
    public long getUnallocatedSpace() {
        return getUsableSpace();
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == BasicFileAttributeView.class || type == MemoryFileAttributeView.class;
    }

    @Override
    public boolean supportsFileAttributeView(String view) {
        return Attrs.VIEWS.contains(view);
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public Object getAttribute(String attribute) {
        throw new UnsupportedOperationException("file store attribute " + attribute);
    }

    @Override
    public String toString() {
        return "/mnt/memory/" + name + (readOnly ? " (read-only)" : "");
    }
}
