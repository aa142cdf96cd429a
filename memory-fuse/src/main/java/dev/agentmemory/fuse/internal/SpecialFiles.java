package dev.agentmemory.fuse.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import org.cryptomator.jfuse.api.Fuse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes hard links and device files or FIFOs (mknod) fail with EPERM, as symlinks do. jfuse binds neither callback,
 * and libfuse answers ENOSYS ("Function not implemented") for an unbound one, which reads as a missing feature rather
 * than a refusal. This fills the two slots of the {@code fuse_operations} struct that jfuse built, before it is
 * handed to libfuse. Reaching the struct needs deep reflection into jfuse, which the class path allows; on the
 * module path without {@code --add-opens org.cryptomator.jfuse.api/org.cryptomator.jfuse.api=dev.agentmemory.fuse},
 * links and mknod stay ENOSYS (still refused, nothing written).
 */
public final class SpecialFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SpecialFiles.class);
    /** Offsets in libfuse 3's struct fuse_operations (64-bit): getattr, readlink, mknod, ..., rename, link. */
    private static final long MKNOD_OFFSET = 2 * 8;
    private static final long LINK_OFFSET = 8 * 8;
    private static final MemorySegment MKNOD;
    private static final MemorySegment LINK;

    static {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MKNOD = linker.upcallStub(lookup.findStatic(SpecialFiles.class, "mknod",
                    MethodType.methodType(int.class, MemorySegment.class, int.class, long.class)),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_LONG), Arena.global());
            LINK = linker.upcallStub(lookup.findStatic(SpecialFiles.class, "link",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class)),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                    Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SpecialFiles() {
    }

    private static int mknod(MemorySegment path, int mode, long rdev) {
        return -Errnos.EPERM; // regular files come through create; anything else is not a memory
    }

    private static int link(MemorySegment from, MemorySegment to) {
        return -Errnos.EPERM;
    }

    /**
     * Binds the refusing mknod and link callbacks into a FUSE session that is not mounted yet.
     *
     * @param fuse the session
     * @return true if bound; false if jfuse's struct could not be reached (they stay ENOSYS)
     */
    public static boolean refuse(Fuse fuse) {
        try {
            Field f = Fuse.class.getDeclaredField("fuseOperationsStruct");
            f.setAccessible(true);
            MemorySegment ops = (MemorySegment) f.get(fuse);
            if (ops.byteSize() < LINK_OFFSET + 8) {
                return false;
            }
            ops.set(ValueLayout.ADDRESS, MKNOD_OFFSET, MKNOD);
            ops.set(ValueLayout.ADDRESS, LINK_OFFSET, LINK);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("hard links and mknod stay ENOSYS: {}", e.toString());
            return false;
        }
    }
}
