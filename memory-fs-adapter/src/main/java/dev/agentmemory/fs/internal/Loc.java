package dev.agentmemory.fs.internal;

import java.util.Optional;

/**
 * Where an absolute, normalised path points: a fixed directory above the mounts, a mount's root, a path inside a
 * mount, or nowhere. Immutable.
 */
final class Loc {

    enum Kind { ROOT, MNT, MOUNTS, MOUNT_ROOT, INSIDE, NOWHERE }

    final MemoryPath path;
    final Kind kind;
    private final Optional<Mount> mount;
    /** The memory path inside the mount ({@code /a/b}); {@code /} for a mount root; empty elsewhere. */
    private final Optional<String> storePath;

    private Loc(MemoryPath path, Kind kind, Optional<Mount> mount, Optional<String> storePath) {
        this.path = path;
        this.kind = kind;
        this.mount = mount;
        this.storePath = storePath;
    }

    /** A location in no mount: one of the fixed directories, or nowhere. */
    static Loc outside(MemoryPath path, Kind kind) {
        if (kind == Kind.MOUNT_ROOT || kind == Kind.INSIDE) {
            throw new IllegalArgumentException(kind + " is in a mount");
        }
        return new Loc(path, kind, Optional.empty(), Optional.empty());
    }

    /** A mount's root ({@code storePath} {@code /}) or a path inside it. */
    static Loc in(MemoryPath path, Kind kind, Mount mount, String storePath) {
        if (kind != Kind.MOUNT_ROOT && kind != Kind.INSIDE) {
            throw new IllegalArgumentException(kind + " is in no mount");
        }
        return new Loc(path, kind, Optional.of(mount), Optional.of(storePath));
    }

    /** The mount the location is in, if it is in one. */
    Optional<Mount> mountIfAny() {
        return mount;
    }

    /**
     * The mount, for a location known to be in one (a mount root or inside).
     *
     * @return the mount
     * @throws IllegalStateException if the location is in no mount
     */
    Mount mount() {
        return mount.orElseThrow(() -> new IllegalStateException(path + " is in no mount"));
    }

    /**
     * The memory path inside the mount, for a location known to be in one.
     *
     * @return the store path
     * @throws IllegalStateException if the location is in no mount
     */
    String storePath() {
        return storePath.orElseThrow(() -> new IllegalStateException(path + " is in no mount"));
    }

    boolean virtual() {
        return kind == Kind.ROOT || kind == Kind.MNT || kind == Kind.MOUNTS;
    }

    String str() {
        return path.toString();
    }

    /** The listing prefix of this directory in its store, ending in {@code /}. */
    String prefix() {
        return kind == Kind.MOUNT_ROOT ? "/" : storePath() + "/";
    }
}
