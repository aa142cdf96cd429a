package dev.agentmemory.server.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters, written in the Prometheus text format at {@code /metrics}: requests by route, method and
 * status; a latency histogram by route; conflicts by error type; rate-limited requests; requests in flight.
 * Thread-safe.
 */
public final class Metrics {

    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    /** Requests by route and status; the labels are written only when the metrics are rendered. */
    private record RouteStatus(String route, int status) {
    }

    private final ConcurrentHashMap<RouteStatus, LongAdder> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Histogram> latency = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> conflicts = new ConcurrentHashMap<>();
    private final LongAdder rateLimited = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();

    /** One route's latency histogram. */
    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }
    }

    /** A request started. */
    public void started() {
        inFlight.incrementAndGet();
    }

    /**
     * A request finished.
     *
     * @param route the route template
     * @param status the status answered
     * @param errorType the hosted error type, or null for a success
     * @param seconds how long it took
     */
    public void finished(String route, int status, String errorType, double seconds) {
        inFlight.decrementAndGet();
        requests.computeIfAbsent(new RouteStatus(route, status), k -> new LongAdder()).increment();
        Histogram h = latency.computeIfAbsent(route, k -> new Histogram());
        // Only the smallest bucket that holds the time is counted; render() sums them into Prometheus's cumulative
        // buckets.
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                h.counts[i].increment();
                break;
            }
        }
        h.count.increment();
        h.sum.add(seconds);
        if (status == 409 && errorType != null) {
            conflicts.computeIfAbsent(errorType, k -> new LongAdder()).increment();
        }
        if (status == 429) {
            rateLimited.increment();
        }
    }

    /** @return the metrics in the Prometheus text exposition format */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP agent_memory_http_requests_total Requests answered, by route and status.\n");
        b.append("# TYPE agent_memory_http_requests_total counter\n");
        requests.forEach((k, v) -> b.append("agent_memory_http_requests_total{").append(label("route", k.route()))
                .append(',').append(label("status", String.valueOf(k.status()))).append("} ").append(v.sum())
                .append('\n'));
        b.append("# HELP agent_memory_http_request_duration_seconds Time to answer a request, by route.\n");
        b.append("# TYPE agent_memory_http_request_duration_seconds histogram\n");
        for (Map.Entry<String, Histogram> e : latency.entrySet()) {
            String route = label("route", e.getKey());
            Histogram h = e.getValue();
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += h.counts[i].sum();
                b.append("agent_memory_http_request_duration_seconds_bucket{").append(route).append(",le=\"")
                        .append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
            }
            b.append("agent_memory_http_request_duration_seconds_bucket{").append(route).append(",le=\"+Inf\"} ")
                    .append(h.count.sum()).append('\n');
            b.append("agent_memory_http_request_duration_seconds_sum{").append(route).append("} ")
                    .append(h.sum.sum()).append('\n');
            b.append("agent_memory_http_request_duration_seconds_count{").append(route).append("} ")
                    .append(h.count.sum()).append('\n');
        }
        b.append("# HELP agent_memory_conflicts_total Requests refused with 409, by error type.\n");
        b.append("# TYPE agent_memory_conflicts_total counter\n");
        conflicts.forEach((k, v) -> b.append("agent_memory_conflicts_total{").append(label("type", k)).append("} ")
                .append(v.sum()).append('\n'));
        b.append("# HELP agent_memory_rate_limited_total Requests refused with 429.\n");
        b.append("# TYPE agent_memory_rate_limited_total counter\n");
        b.append("agent_memory_rate_limited_total ").append(rateLimited.sum()).append('\n');
        b.append("# HELP agent_memory_http_requests_in_flight Requests being served now.\n");
        b.append("# TYPE agent_memory_http_requests_in_flight gauge\n");
        b.append("agent_memory_http_requests_in_flight ").append(inFlight.get()).append('\n');
        return b.toString();
    }

    private static String label(String name, String value) {
        return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
