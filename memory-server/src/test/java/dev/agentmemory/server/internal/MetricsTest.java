package dev.agentmemory.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Prometheus text: counters by route and status, and latency histograms with cumulative buckets. */
class MetricsTest {

    @Test
    void bucketsAreCumulativeAndCountersLabelled() {
        Metrics m = new Metrics();
        for (double seconds : new double[] {0.003, 0.2, 0.25, 10}) {
            m.started();
            m.finished("GET /v1/x", 200, null, seconds);
        }
        m.started();
        m.finished("GET /v1/x", 409, "conflict_error", 0.0005);
        String text = m.render();
        String bucket = "agent_memory_http_request_duration_seconds_bucket{route=\"GET /v1/x\",le=\"";
        assertThat(text).contains(bucket + "0.001\"} 1\n", bucket + "0.0025\"} 1\n", bucket + "0.005\"} 2\n",
                bucket + "0.1\"} 2\n", bucket + "0.25\"} 4\n", bucket + "5.0\"} 4\n", bucket + "+Inf\"} 5\n");
        assertThat(text).contains("agent_memory_http_request_duration_seconds_count{route=\"GET /v1/x\"} 5\n",
                "agent_memory_http_requests_total{route=\"GET /v1/x\",status=\"200\"} 4\n",
                "agent_memory_http_requests_total{route=\"GET /v1/x\",status=\"409\"} 1\n",
                "agent_memory_conflicts_total{type=\"conflict_error\"} 1\n",
                "agent_memory_http_requests_in_flight 0\n");
    }
}
