package dev.agentmemory.policy;

import dev.agentmemory.model.SessionId;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits how fast each session writes: content bytes, writes and writes to one path within a sliding window (see
 * {@link QuotaLimits}). A write that would pass a limit is blocked, naming the limit as the rule
 * ({@code bytes_per_window}, {@code writes_per_window}, {@code writes_per_path}). Operators' writes (any actor but a
 * session) are never limited.
 *
 * <p>The decision itself is the pure function {@link #decide}; this class keeps the counters it decides over, in
 * memory, and reads the time from the {@link Clock} it is given. Only writes reported through {@link #committed} are
 * counted, so a blocked write costs nothing. Two writes of one session evaluated at the same moment may both pass
 * before either is counted: under concurrency a session can exceed a limit by at most its number of writes in flight.
 * Counters of a session that has written nothing for a window are dropped. Thread-safe.
 */
public final class SessionQuota implements WritePolicy {

    /** The name this policy reports. */
    public static final String NAME = "session-quota";

    private record Entry(long atMillis, long bytes, String path) {
    }

    /**
     * One session's writes within the window, oldest first, with their totals kept as they come and go, so that
     * reading the usage costs the same however many writes the window holds. Guarded by its own monitor.
     */
    private static final class Window {
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
        final HashMap<String, Integer> writesPerPath = new HashMap<>();
        long bytes;

        void add(Entry e) {
            entries.addLast(e);
            bytes += e.bytes();
            writesPerPath.merge(e.path(), 1, Integer::sum);
        }

        void pruneUpTo(long from) {
            while (!entries.isEmpty() && entries.peekFirst().atMillis() <= from) {
                Entry e = entries.removeFirst();
                bytes -= e.bytes();
                writesPerPath.computeIfPresent(e.path(), (p, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    private final QuotaLimits limits;
    private final Clock clock;
    private final ConcurrentHashMap<SessionId, Window> windows = new ConcurrentHashMap<>();

    /**
     * Creates the policy with empty counters.
     *
     * @param limits the limits
     * @param clock where the time comes from
     */
    public SessionQuota(QuotaLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns the limits.
     *
     * @return the limits
     */
    public QuotaLimits limits() {
        return limits;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Decides about one write of a session that has already written {@code usage} within the window.
     *
     * @param limits the limits
     * @param usage what the session wrote within the window
     * @param request the write
     * @return {@link Verdict#allow()}, or a block naming the limit the write would pass
     */
    public static Verdict decide(QuotaLimits limits, QuotaUsage usage, WriteRequest request) {
        // A UTF-16 unit encodes to at most 3 UTF-8 bytes: when even that fits, the exact count (a pass over the
        // content) is not needed to decide.
        long bytesAtMost = request.content().isPresent() ? 3L * request.content().get().length() : 0;
        if (usage.writes() + 1L <= limits.maxWrites() && usage.writesToPath() + 1L <= limits.maxWritesPerPath()
                && usage.bytes() + bytesAtMost <= limits.maxBytes()) {
            return Verdict.allow();
        }
        long bytes = request.contentBytes();
        String window = limits.window().toString();
        if (usage.writes() + 1L > limits.maxWrites()) {
            return Verdict.block(NAME, "writes_per_window", "this session has made " + usage.writes()
                    + " writes in the last " + window + ", the most allowed is " + limits.maxWrites()
                    + "; wait and write less often");
        }
        if (usage.writesToPath() + 1L > limits.maxWritesPerPath()) {
            return Verdict.block(NAME, "writes_per_path", "this session has written " + request.path() + " "
                    + usage.writesToPath() + " times in the last " + window + ", the most allowed is "
                    + limits.maxWritesPerPath() + "; gather the changes into fewer writes");
        }
        if (usage.bytes() + bytes > limits.maxBytes()) {
            return Verdict.block(NAME, "bytes_per_window", "this session has written " + usage.bytes()
                    + " bytes in the last " + window + " and this write adds " + bytes + ", the most allowed is "
                    + limits.maxBytes() + "; wait and write less");
        }
        return Verdict.allow();
    }

    @Override
    public Verdict evaluate(WriteRequest request) {
        Optional<SessionId> session = request.session();
        if (session.isEmpty()) {
            return Verdict.allow();
        }
        return decide(limits, usage(session.get(), request.path()), request);
    }

    /**
     * Returns what a session has written within the window ending now.
     *
     * @param session the session
     * @param path the path whose writes to count separately
     * @return the usage
     */
    public QuotaUsage usage(SessionId session, String path) {
        Window w = windows.get(session);
        if (w == null) {
            return QuotaUsage.NONE;
        }
        long now = clock.millis();
        synchronized (w) {
            prune(w, now);
            return new QuotaUsage(w.bytes, w.entries.size(), w.writesPerPath.getOrDefault(path, 0));
        }
    }

    @Override
    public void committed(WriteRequest request, Verdict verdict) {
        Optional<SessionId> session = request.session();
        if (session.isEmpty() || verdict instanceof Verdict.Block) {
            return;
        }
        long now = clock.millis();
        Entry entry = new Entry(now, request.contentBytes(), request.path());
        windows.compute(session.get(), (s, existing) -> {
            Window w = existing == null ? new Window() : existing;
            synchronized (w) {
                prune(w, now);
                w.add(entry);
            }
            return w;
        });
        if (windows.size() > 64) {
            dropIdle(now);
        }
    }

    private void prune(Window w, long now) {
        w.pruneUpTo(now - limits.window().toMillis());
    }

    private void dropIdle(long now) {
        for (SessionId s : windows.keySet()) {
            windows.computeIfPresent(s, (k, w) -> {
                synchronized (w) {
                    prune(w, now);
                    return w.entries.isEmpty() ? null : w;
                }
            });
        }
    }

    @Override
    public String toString() {
        return "SessionQuota[" + limits + "]";
    }
}
