package dev.agentmemory.fs.internal;

import dev.agentmemory.error.MemoryException;
import dev.agentmemory.model.MemoryVersion;
import dev.agentmemory.model.Operation;
import dev.agentmemory.model.Page;
import dev.agentmemory.model.VersionId;
import dev.agentmemory.model.VersionQuery;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.Watchable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch service fed by the stores' versions, whoever wrote them (this file system, another session, another
 * process on the same database). A daemon thread polls {@code Memories.revision()} of each watched mount; when it
 * moved, it reads the versions newer than the ones it saw and turns each into events on the watched directory that
 * holds the changed file directly. Thread-safe.
 *
 * <p>Version ids sort by creation time, but a version created just before another may commit just after it. So the
 * poller re-reads a short window ({@value #GRACE_SECONDS} s) before the newest version it saw and skips the ids it
 * has already reported.
 */
final class MemoryWatchService implements WatchService {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryWatchService.class);
    static final long GRACE_SECONDS = 5;

    private final MemoryFileSystem fs;
    private final LinkedBlockingDeque<Key> signalled = new LinkedBlockingDeque<>();
    private final Map<Mount, MountWatch> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private volatile boolean open = true;
    private final Key closedMarker = new Key(null, null, Set.of());

    MemoryWatchService(MemoryFileSystem fs, Duration interval) {
        this.fs = fs;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agentmemory-watch-" + fs.key());
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        poller.scheduleWithFixedDelay(this::pollAll, ms, ms, TimeUnit.MILLISECONDS);
    }

    MemoryFileSystem fileSystem() {
        return fs;
    }

    WatchKey register(MemoryPath dir, WatchEvent.Kind<?>[] kinds) throws IOException {
        checkOpen();
        Loc loc = fs.locate(dir);
        Node n = fs.stat(loc);
        if (!n.exists()) {
            throw new java.nio.file.NoSuchFileException(loc.str());
        }
        if (!n.directory) {
            throw new NotDirectoryException(loc.str());
        }
        Set<WatchEvent.Kind<?>> set = new HashSet<>();
        for (WatchEvent.Kind<?> k : kinds) {
            if (k == StandardWatchEventKinds.ENTRY_CREATE || k == StandardWatchEventKinds.ENTRY_DELETE
                    || k == StandardWatchEventKinds.ENTRY_MODIFY) {
                set.add(k);
            } else if (k != StandardWatchEventKinds.OVERFLOW) {
                throw new UnsupportedOperationException("unsupported watch event kind " + k);
            }
        }
        Key key = new Key(dir, loc, set);
        if (loc.mountIfAny().isPresent()) {
            MountWatch w = watches.computeIfAbsent(loc.mount(), MountWatch::new);
            synchronized (w) {
                w.keys.add(key);
            }
        }
        return key;
    }

    private void checkOpen() {
        if (!open) {
            throw new ClosedWatchServiceException();
        }
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        poller.shutdownNow();
        for (MountWatch w : watches.values()) {
            synchronized (w) {
                for (Key k : w.keys) {
                    k.valid = false;
                }
            }
        }
        watches.clear();
        signalled.clear();
        signalled.add(closedMarker); // wakes every take()
        fs.released(this);
    }

    @Override
    public WatchKey poll() {
        checkOpen();
        return unwrap(signalled.poll());
    }

    @Override
    public WatchKey poll(long timeout, TimeUnit unit) throws InterruptedException {
        checkOpen();
        return unwrap(signalled.poll(timeout, unit));
    }

    @Override
    public WatchKey take() throws InterruptedException {
        checkOpen();
        return unwrap(signalled.take());
    }

    private WatchKey unwrap(Key k) {
        if (k != null && k == closedMarker) {
            signalled.add(closedMarker);
            throw new ClosedWatchServiceException();
        }
        return k;
    }

    private void pollAll() {
        for (MountWatch w : watches.values()) {
            try {
                w.poll();
            } catch (RuntimeException e) {
                LOG.warn("watching mount {} failed: {}", w.mount.slug, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "MemoryWatchService[" + fs.key() + "]";
    }

    /** The state of one watched mount: the revision and the versions seen. */
    private final class MountWatch {
        final Mount mount;
        final List<Key> keys = new ArrayList<>();
        long revision;
        Instant newest = Instant.EPOCH;
        final Map<VersionId, Instant> seen = new HashMap<>();

        MountWatch(Mount mount) {
            this.mount = mount;
            this.revision = mount.memories.revision();
            for (MemoryVersion v : scan()) {
                seen.put(v.id(), v.createdAt());
                if (v.createdAt().isAfter(newest)) {
                    newest = v.createdAt();
                }
            }
        }

        /** The versions in the window: newest first, down to {@link #GRACE_SECONDS} before the newest seen. */
        private List<MemoryVersion> scan() {
            List<MemoryVersion> out = new ArrayList<>();
            Instant floor = newest.minusSeconds(GRACE_SECONDS);
            VersionQuery q = VersionQuery.builder().limit(100).build();
            while (true) {
                Page<MemoryVersion> page = mount.memories.versions(q);
                for (MemoryVersion v : page.items()) {
                    if (v.createdAt().isBefore(floor)) {
                        return out;
                    }
                    out.add(v);
                }
                if (page.nextCursor().isEmpty() || newest.equals(Instant.EPOCH) && out.size() >= 1000) {
                    return out;
                }
                q = q.page(page.nextCursor().get());
            }
        }

        synchronized void poll() {
            long now = mount.memories.revision();
            if (now == revision) {
                return;
            }
            revision = now;
            List<MemoryVersion> fresh = new ArrayList<>();
            for (MemoryVersion v : scan()) {
                if (!seen.containsKey(v.id())) {
                    fresh.add(v);
                }
            }
            for (int i = fresh.size() - 1; i >= 0; i--) {
                MemoryVersion v = fresh.get(i);
                seen.put(v.id(), v.createdAt());
                if (v.createdAt().isAfter(newest)) {
                    newest = v.createdAt();
                }
                emit(v);
            }
            Instant floor = newest.minusSeconds(GRACE_SECONDS);
            seen.values().removeIf(t -> t.isBefore(floor));
        }

        private void emit(MemoryVersion v) {
            if (v.path().isEmpty()) {
                return; // redacted: nothing to say where it was
            }
            String path = v.path().get();
            if (v.operation() == Operation.CREATED) {
                event(path, StandardWatchEventKinds.ENTRY_CREATE);
            } else if (v.operation() == Operation.DELETED) {
                event(path, StandardWatchEventKinds.ENTRY_DELETE);
            } else {
                Optional<String> before = previousPath(v);
                if (before.isPresent() && !before.get().equals(path)) {
                    event(before.get(), StandardWatchEventKinds.ENTRY_DELETE);
                    event(path, StandardWatchEventKinds.ENTRY_CREATE);
                } else {
                    event(path, StandardWatchEventKinds.ENTRY_MODIFY);
                }
            }
        }

        /** The path the memory had in the version before {@code v}, if that version is on the first page. */
        private Optional<String> previousPath(MemoryVersion v) {
            Page<MemoryVersion> page = mount.memories.versions(VersionQuery.ofMemory(v.memoryId()).limit(100).build());
            boolean found = false;
            for (MemoryVersion p : page.items()) {
                if (found) {
                    return p.path();
                }
                found = p.id().equals(v.id());
            }
            return Optional.empty();
        }

        private void event(String storePath, WatchEvent.Kind<Path> kind) {
            int slash = storePath.lastIndexOf('/');
            String dir = slash == 0 ? "/" : storePath.substring(0, slash);
            String name = storePath.substring(slash + 1);
            for (Key k : keys) {
                String watched = k.loc.kind == Loc.Kind.MOUNT_ROOT ? "/" : k.loc.storePath();
                if (k.valid && k.kinds.contains(kind) && watched.equals(dir)) {
                    k.signal(kind, fs.getPath(name));
                }
            }
        }
    }

    /** A registration: events for one directory. */
    private final class Key implements WatchKey {
        final Path dir;
        final Loc loc;
        final Set<WatchEvent.Kind<?>> kinds;
        volatile boolean valid = true;
        private boolean ready = true;
        private final List<Event> events = new ArrayList<>();

        Key(Path dir, Loc loc, Set<WatchEvent.Kind<?>> kinds) {
            this.dir = dir;
            this.loc = loc;
            this.kinds = kinds;
        }

        synchronized void signal(WatchEvent.Kind<Path> kind, Path context) {
            Event last = events.isEmpty() ? null : events.get(events.size() - 1);
            if (last != null && last.kind == kind && last.context.equals(context)) {
                last.count++;
            } else {
                events.add(new Event(kind, context));
            }
            if (ready) {
                ready = false;
                signalled.add(this);
            }
        }

        @Override
        public boolean isValid() {
            return valid && open;
        }

        @Override
        public synchronized List<WatchEvent<?>> pollEvents() {
            List<WatchEvent<?>> out = new ArrayList<>(events);
            events.clear();
            return out;
        }

        @Override
        public synchronized boolean reset() {
            if (!isValid()) {
                return false;
            }
            if (!ready) {
                if (events.isEmpty()) {
                    ready = true;
                } else {
                    signalled.add(this);
                }
            }
            return true;
        }

        @Override
        public void cancel() {
            valid = false;
            Optional<MountWatch> found = loc.mountIfAny().map(watches::get);
            if (found.isPresent()) {
                MountWatch w = found.get();
                synchronized (w) {
                    w.keys.remove(this);
                    for (Iterator<Key> it = w.keys.iterator(); it.hasNext();) {
                        if (!it.next().valid) {
                            it.remove();
                        }
                    }
                }
            }
        }

        @Override
        public Watchable watchable() {
            return dir;
        }
    }

    /** One event, counted when repeated. */
    private static final class Event implements WatchEvent<Path> {
        final WatchEvent.Kind<Path> kind;
        final Path context;
        int count = 1;

        Event(WatchEvent.Kind<Path> kind, Path context) {
            this.kind = kind;
            this.context = context;
        }

        @Override
        public WatchEvent.Kind<Path> kind() {
            return kind;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public Path context() {
            return context;
        }

        @Override
        public String toString() {
            return kind.name() + " " + context + (count > 1 ? " x" + count : "");
        }
    }
}
