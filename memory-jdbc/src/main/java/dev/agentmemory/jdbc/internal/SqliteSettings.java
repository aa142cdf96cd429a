package dev.agentmemory.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.SQLiteOpenMode;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * The SQLite driver's settings the library relies on, and where its native library is loaded from. The only class
 * besides {@link Pools} that touches the SQLite driver; loaded only once the driver is known to be present.
 *
 * <p>By default sqlite-jdbc copies its native library into {@code java.io.tmpdir} under a new name in every process
 * and, on start, deletes the copies of processes that ended; processes started side by side race on those deletions
 * and print stack traces. Unless the host has set {@code org.sqlite.lib.path} or {@code org.sqlite.tmpdir} itself,
 * the library is instead copied once per user and driver version into
 * {@code $XDG_CACHE_HOME/agent-memory/sqlite-jdbc-<version>/<os-arch>/} (default {@code ~/.cache}) and loaded from
 * there: no copy per process, nothing to clean up.
 */
final class SqliteSettings {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteSettings.class);
    private static final Object NATIVE_LOCK = new Object();
    private static volatile boolean nativeChecked;

    private SqliteSettings() {
    }

    static DataSource dataSource(Path file, boolean mustExist) {
        useUserNativeLibrary();
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(10_000);
        // Ordinary writes do not zero the space they free (the driver's build may default to zeroing): erasure
        // rebuilds the file instead, when it is needed (PhysicalErasure).
        sqlite.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "false");
        sqlite.setEncoding(SQLiteConfig.Encoding.UTF8);
        // The library never asks for generated keys; with this on, the driver runs a second statement
        // (SELECT last_insert_rowid()) after every INSERT.
        sqlite.setGetGeneratedKeys(false);
        if (mustExist) {
            // Never create the file; and leave its journal mode alone: switching to WAL is written into the file,
            // and a database that is not ours must not be changed (ours were switched when they were created).
            sqlite.resetOpenMode(SQLiteOpenMode.CREATE);
        } else {
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource(sqlite);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return ds;
    }

    /** Points the driver at a per-user copy of its native library, unless the host chose where it goes. */
    static void useUserNativeLibrary() {
        if (nativeChecked) {
            return;
        }
        synchronized (NATIVE_LOCK) {
            if (nativeChecked) {
                return;
            }
            nativeChecked = true;
            if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.tmpdir") != null
                    || System.getProperty("org.sqlite.lib.name") != null) {
                return;
            }
            try {
                Path dir = cacheDir().resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion())
                        .resolve(System.getProperty("os.name", "os").replaceAll("[^A-Za-z0-9]", "")
                                + "-" + System.getProperty("os.arch", "arch").replaceAll("[^A-Za-z0-9_]", ""));
                String name = LibraryLoaderUtil.getNativeLibName();
                String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
                URL url = SQLiteJDBCLoader.class.getResource(resource);
                if (url == null) {
                    return; // no bundled library for this platform: leave the driver to its own search
                }
                URLConnection conn = url.openConnection();
                long size = conn.getContentLengthLong();
                Path lib = dir.resolve(name);
                if (size < 0 || !Files.isRegularFile(lib) || Files.size(lib) != size) {
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, name, ".part");
                    try (InputStream in = conn.getInputStream()) {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                }
                System.setProperty("org.sqlite.lib.path", dir.toString());
                System.setProperty("org.sqlite.lib.name", name);
                // The driver lists this folder for stale copies on start; ours holds none.
                System.setProperty("org.sqlite.tmpdir", dir.toString());
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot keep a per-user copy of the SQLite native library, the driver extracts its own: {}",
                        e.toString());
            }
        }
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("agent-memory");
    }
}
