package dev.agentmemory.fuse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Skips a test without /dev/fuse or libfuse3, except under CI=true, where that fails it. */
final class FuseAvailable {

    private FuseAvailable() {
    }

    static void require() {
        String missing = null;
        if (!Files.exists(Path.of("/dev/fuse"))) {
            missing = "/dev/fuse";
        } else if (!Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libfuse3.so.3"))
                && !Files.exists(Path.of("/lib/x86_64-linux-gnu/libfuse3.so.3"))) {
            missing = "libfuse3 (Debian package fuse3)";
        } else if (MountTestBase.run(Path.of("/"), java.util.List.of("bash", "-c", "command -v fusermount3"))
                .exit() != 0) {
            missing = "fusermount3 (Debian package fuse3)";
        }
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(missing + " is missing: the FUSE tests cannot run, and in CI they must");
            }
            Assumptions.abort(missing + " is missing; the FUSE tests are skipped outside CI");
        }
    }
}
