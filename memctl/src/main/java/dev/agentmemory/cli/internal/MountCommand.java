package dev.agentmemory.cli.internal;

import dev.agentmemory.error.MemoryException;
import dev.agentmemory.Session;
import dev.agentmemory.model.SessionId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code memctl mount}: a session's stores as a live FUSE mount, in the foreground until Ctrl-C or SIGTERM. The mount
 * itself lives in memory-fuse (Java 22+), which memctl (Java 17) does not depend on: it is found on the class path
 * when memctl runs from {@code memory-fuse/target/memctl-fuse.jar}.
 */
@Command(name = "mount", description = {"Mount a session's stores as a live directory, <DIR>/<mount>/<path>, until"
        + " Ctrl-C or SIGTERM.",
    "Every file closed there is one version attributed to the session; changes others make are visible at"
        + " once; read-only attachments are read-only mounts (EROFS). Linux with FUSE (libfuse3) only, and a"
        + " Java 22 or newer: run memctl from memory-fuse/target/memctl-fuse.jar for this command."})
final class MountCommand extends BaseCommand {

    static final String MOUNT_CLASS = "dev.agentmemory.fuse.MemoryMount";
    static final String OPTIONS_CLASS = "dev.agentmemory.fuse.MountOptions";

    @Parameters(index = "0", paramLabel = "SESSION", description = "The session (sesn_...) whose stores to mount.")
    String sessionId;

    @Parameters(index = "1", paramLabel = "DIR", description = "The directory: missing, empty, or a mount left by"
            + " a killed process (cleared first).")
    Path directory;

    @Option(names = "--allow-other", description = "Let other users use the mount (FUSE allow_other; a non-root"
            + " user needs user_allow_other in /etc/fuse.conf).")
    boolean allowOther;

    @Override
    void run(Context ctx) throws Exception {
        Session session = ctx.workspace().sessions().get(SessionId.of(sessionId));
        CountDownLatch stopped = new CountDownLatch(1);
        try (AutoCloseable mount = mount(session, directory, allowOther)) {
            Thread hook = new Thread(() -> {
                try {
                    mount.close();
                } catch (Exception e) {
                    System.err.println("memctl: unmounting failed: " + e);
                }
                stopped.countDown();
            }, "memctl-unmount");
            Runtime.getRuntime().addShutdownHook(hook);
            @SuppressWarnings("unchecked")
            Map<String, Path> points = (Map<String, Path>) mount.getClass().getMethod("mountPoints").invoke(mount);
            Table t = new Table("MOUNT", "DIRECTORY");
            points.forEach((slug, dir) -> t.row(slug + "/", dir));
            ctx.io().out().println("mounted session " + session.id() + "; Ctrl-C or SIGTERM unmounts");
            t.print(ctx.io().out());
            ctx.io().out().flush();
            stopped.await();
        }
    }

    /** Calls memory-fuse's MemoryMount.mount through reflection: memctl builds on Java 17 without it. */
    static AutoCloseable mount(Session session, Path directory, boolean allowOther) throws Exception {
        Class<?> mountClass;
        Class<?> optionsClass;
        try {
            mountClass = Class.forName(MOUNT_CLASS);
            optionsClass = Class.forName(OPTIONS_CLASS);
        } catch (ClassNotFoundException e) {
            throw new CliException(ExitCode.MOUNT, "memctl mount needs the memory-fuse module: run memctl from"
                    + " memory-fuse/target/memctl-fuse.jar (built with a JDK 22 or newer)");
        } catch (UnsupportedClassVersionError e) {
            throw new CliException(ExitCode.MOUNT, "memctl mount needs Java 22 or newer; this is Java "
                    + Runtime.version().feature());
        }
        try {
            Object options = optionsClass.getMethod("defaults").invoke(null);
            options = optionsClass.getMethod("withAllowOther", boolean.class).invoke(options, allowOther);
            Method mount = mountClass.getMethod("mount", Session.class, Path.class, optionsClass);
            return (AutoCloseable) mount.invoke(null, session, directory, options);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof MemoryException m) {
                throw m;
            }
            throw e;
        }
    }
}
