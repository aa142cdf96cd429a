package dev.agentmemory.fuse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.cryptomator.jfuse.api.Errno;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.Stat;
import org.junit.jupiter.api.Test;

/** An exception escaping an FFM upcall would end the JVM; Guarded answers EIO instead. */
class GuardedTest {

    @Test
    void anExceptionBecomesEioAndAResultPassesThrough() {
        FuseOperations failing = new FuseOperations() {
            @Override
            public Errno errno() {
                return null;
            }

            @Override
            public Set<Operation> supportedOperations() {
                return Set.of(Operation.GET_ATTR, Operation.UNLINK);
            }

            @Override
            public int getattr(String path, Stat stat, FileInfo fi) {
                throw new IllegalStateException("a bug");
            }

            @Override
            public int unlink(String path) {
                return -Errnos.EPERM;
            }
        };
        Guarded g = new Guarded(failing);
        assertThat(g.getattr("/x", null, null)).isEqualTo(-Errnos.EIO);
        assertThat(g.unlink("/x")).isEqualTo(-Errnos.EPERM);
        assertThat(g.supportedOperations()).isEqualTo(failing.supportedOperations());
    }
}
