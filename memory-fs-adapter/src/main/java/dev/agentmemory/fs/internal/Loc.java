package dev.agentmemory.fs.internal;

/**
 * Where an absolute, normalised path points: a fixed directory above the mounts, a mount's root, a path inside a
 * mount, or nowhere.
 */
final class Loc {

    enum Kind { ROOT, MNT, MOUNTS, MOUNT_ROOT, INSIDE, NOWHERE }

    final MemoryPath path;
    final Kind kind;
    final Mount mount;
    /** The memory path inside the mount ({@code /a/b}); {@code /} for a mount root; null elsewhere. */
    final String storePath;

    Loc(MemoryPath path, Kind kind, Mount mount, String storePath) {
        this.path = path;
        this.kind = kind;
        this.mount = mount;
        this.storePath = storePath;
    }

    boolean virtual() {
        return kind == Kind.ROOT || kind == Kind.MNT || kind == Kind.MOUNTS;
    }

    String str() {
        return path.toString();
    }

    /** The listing prefix of this directory in its store, ending in {@code /}. */
    String prefix() {
        return kind == Kind.MOUNT_ROOT ? "/" : storePath + "/";
    }
}
