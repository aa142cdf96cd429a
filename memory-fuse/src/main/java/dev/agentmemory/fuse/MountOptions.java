package dev.agentmemory.fuse;

/**
 * How a {@link MemoryMount} is mounted. Immutable.
 *
 * @param allowOther let users other than the one who mounted see the mount (FUSE's {@code allow_other}); a non-root
 *     user needs {@code user_allow_other} in {@code /etc/fuse.conf} for it
 */
public record MountOptions(boolean allowOther) {

    /**
     * Returns the defaults: only the mounting user (and root) sees the mount.
     *
     * @return the defaults
     */
    public static MountOptions defaults() {
        return new MountOptions(false);
    }

    /**
     * Returns these options with {@code allow_other} set or cleared.
     *
     * @param allow whether other users may use the mount
     * @return new options
     */
    public MountOptions withAllowOther(boolean allow) {
        return new MountOptions(allow);
    }
}
