package dev.agentmemory.fs.internal;

import dev.agentmemory.fs.MemoryFileAttributeView;
import dev.agentmemory.fs.MemoryFileAttributes;
import dev.agentmemory.model.Memory;
import dev.agentmemory.model.MemoryId;
import dev.agentmemory.model.VersionId;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A snapshot of a file's or directory's attributes. Immutable. */
final class Attrs implements MemoryFileAttributes {

    static final Set<String> VIEWS = Set.of("basic", MemoryFileAttributeView.NAME);
    private static final List<String> BASIC = List.of("lastModifiedTime", "lastAccessTime", "creationTime", "size",
            "isRegularFile", "isDirectory", "isSymbolicLink", "isOther", "fileKey");
    private static final List<String> MEMORY = List.of("memory_id", "content_sha256", "head_version_id");
    private static final FileTime EPOCH = FileTime.fromMillis(0);

    private final Optional<Memory> memory;

    Attrs(Node node) {
        this.memory = node.memory();
    }

    @Override
    public FileTime lastModifiedTime() {
        return memory.map(m -> FileTime.from(m.updatedAt())).orElse(EPOCH);
    }

    @Override
    public FileTime lastAccessTime() {
        return lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
        return memory.map(m -> FileTime.from(m.createdAt())).orElse(EPOCH);
    }

    @Override
    public boolean isRegularFile() {
        return memory.isPresent();
    }

    @Override
    public boolean isDirectory() {
        return memory.isEmpty();
    }

    @Override
    public boolean isSymbolicLink() {
        return false;
    }

    @Override
    public boolean isOther() {
        return false;
    }

    @Override
    public long size() {
        return memory.map(Memory::contentSizeBytes).orElse(0L);
    }

    @Override
    public Object fileKey() {
        return memory.map(m -> m.id().value()).orElse(null);
    }

    @Override
    public Optional<MemoryId> memoryId() {
        return memory.map(Memory::id);
    }

    @Override
    public Optional<String> contentSha256() {
        return memory.map(Memory::contentSha256);
    }

    @Override
    public Optional<VersionId> headVersionId() {
        return memory.map(Memory::headVersionId);
    }

    /** Reads attributes by name: {@code [view:]name,name} or {@code [view:]*}. */
    Map<String, Object> byName(String attributes) {
        String view = "basic";
        String names = attributes;
        int colon = attributes.indexOf(':');
        if (colon >= 0) {
            view = attributes.substring(0, colon);
            names = attributes.substring(colon + 1);
        }
        if (!VIEWS.contains(view)) {
            throw new UnsupportedOperationException("unsupported attribute view '" + view
                    + "'; this file system supports basic and memory");
        }
        boolean memoryView = view.equals(MemoryFileAttributeView.NAME);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : names.split(",")) {
            if (name.equals("*")) {
                for (String b : BASIC) {
                    put(out, b);
                }
                if (memoryView) {
                    for (String m : MEMORY) {
                        put(out, m);
                    }
                }
            } else if (BASIC.contains(name) || (memoryView && MEMORY.contains(name))) {
                put(out, name);
            } else {
                throw new IllegalArgumentException("'" + name + "' is not an attribute of the " + view + " view");
            }
        }
        return out;
    }

    private void put(Map<String, Object> out, String name) {
        Object v = value(name);
        if (v != null) {
            out.put(name, v);
        }
    }

    private Object value(String name) {
        switch (name) {
            case "lastModifiedTime": return lastModifiedTime();
            case "lastAccessTime": return lastAccessTime();
            case "creationTime": return creationTime();
            case "size": return size();
            case "isRegularFile": return isRegularFile();
            case "isDirectory": return isDirectory();
            case "isSymbolicLink": return false;
            case "isOther": return false;
            case "fileKey": return fileKey();
            case "memory_id": return memory.map(m -> m.id().value()).orElse(null);
            case "content_sha256": return memory.map(Memory::contentSha256).orElse(null);
            case "head_version_id": return memory.map(m -> m.headVersionId().value()).orElse(null);
            default: throw new IllegalArgumentException("unknown attribute " + name);
        }
    }
}
