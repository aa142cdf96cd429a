package dev.agentmemory.fuse;

/** Lets the samples' tests apply the same rule as the suites: skip without FUSE, fail in CI. */
public final class FuseAvailableForExamples {

    private FuseAvailableForExamples() {
    }

    /** Skips (or, under CI=true, fails) a test when /dev/fuse, libfuse3 or fusermount3 is missing. */
    public static void require() {
        FuseAvailable.require();
    }
}
