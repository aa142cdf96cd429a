package dev.agentmemory.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.agentmemory.error.MemoryException;
import dev.agentmemory.Workspace;
import dev.agentmemory.model.Actor;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.server.ApiKey;
import dev.agentmemory.server.ApiKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of one request: probes and metrics, then the API key, the rate limit and the body size, then
 * {@link RestApi}, then the JSON answer, the metrics and one access-log line. Every failure is answered in the hosted
 * error shape. Thread-safe.
 */
public final class HttpFront extends Handler.Abstract {

    private static final Logger ACCESS = LoggerFactory.getLogger("dev.agentmemory.server.access");
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);

    /** How much of an oversized body is read and dropped before answering 413. */
    private static final long DRAIN_LIMIT = 16L << 20;

    private static final byte[] NO_BODY = new byte[0];

    /** The header naming a session to read and write through, so that writes are the session's. */
    public static final String SESSION_HEADER = "x-agent-memory-session-id";

    private final RestApi api;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final Metrics metrics;
    private final long maxBodyBytes;
    private final BooleanSupplier ready;

    /**
     * @param api the endpoints
     * @param keys the API keys
     * @param limiter the per-key rate limit
     * @param metrics the counters
     * @param maxBodyBytes the largest request body accepted; larger ones get 413
     * @param ready whether the server is ready (database reachable, not shutting down)
     */
    public HttpFront(RestApi api, ApiKeys keys, RateLimiter limiter, Metrics metrics, long maxBodyBytes,
            BooleanSupplier ready) {
        this.api = api;
        this.keys = keys;
        this.limiter = limiter;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        // Unique, not secret: a request id names a request in logs and support questions, and grants nothing.
        String requestId = "req_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        String route = "unmatched";
        String keyId = "-";
        int status;
        String errorType = null;
        Out out;
        String contentType = "application/json";
        metrics.started();
        try {
            if (rawPath.equals("/healthz") || rawPath.equals("/readyz") || rawPath.equals("/metrics")) {
                route = method + " " + rawPath;
                if (rawPath.equals("/metrics")) {
                    status = 200;
                    contentType = "text/plain; version=0.0.4; charset=utf-8";
                    out = Out.of(metrics.render().getBytes(StandardCharsets.UTF_8));
                } else {
                    boolean ok = rawPath.equals("/healthz") || ready.getAsBoolean();
                    status = ok ? 200 : 503;
                    out = Out.of(("{\"status\":\"" + (ok ? "ok" : "unavailable") + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
                }
            } else {
                List<String> segments = segments(rawPath);
                route = RestApi.route(method, segments);
                // The body (bounded by maxBodyBytes) is read before the key's slow hash is checked, so a request
                // is never left half-read while its connection idles.
                byte[] body = readBody(request);
                ApiKey key = authenticate(request);
                keyId = key.id();
                long wait = limiter.acquire(key.id());
                if (wait > 0) {
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(wait));
                    throw ApiError.of(429, "rate_limit_error", "this API key's rate limit is reached; retry after "
                            + wait + " s");
                }
                Optional<SessionId> session = session(request);
                Workspace ws = api.memory().workspace(key.workspaceId());
                RestApi.Answer answer = api.serve(new RestApi.Caller(ws, Actor.apiKey(key.id()), session),
                        new RestApi.Call(method, segments, request.getHttpURI().getQuery(), body));
                status = answer.status();
                out = Out.json(answer.body());
                answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            }
        } catch (Throwable t) {
            ApiError e = t instanceof MemoryException || t instanceof ApiError ? Errors.from(t) : unexpected(t);
            status = e.status();
            errorType = e.type();
            e.shouldRetry().ifPresent(r -> response.getHeaders().put("x-should-retry", String.valueOf(r)));
            out = Out.json(JsonBody.of(Wire.error(e, requestId)));
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put("request-id", requestId);
        long nanos = System.nanoTime() - start;
        metrics.finished(route, status, errorType, nanos / 1e9);
        if (ACCESS.isInfoEnabled()) {
            ACCESS.info(accessLine(requestId, method, rawPath, route, status, keyId, out.size(), nanos));
        }
        response.write(true, out.buffer(), callback);
        return true;
    }

    /**
     * The access log's line for a request: {@code key=value} pairs, the time in milliseconds with two decimals
     * (rounded half up, always with a dot). Built by hand rather than through a format string and the logger's
     * placeholders, since it is written for every request.
     */
    static String accessLine(String requestId, String method, String path, String route, int status, String keyId,
            int bytesOut, long nanos) {
        long hundredths = (Math.max(0, nanos) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return new StringBuilder(96 + path.length() + route.length()).append("request_id=").append(requestId)
                .append(" method=").append(method).append(" path=").append(path).append(" route=\"").append(route)
                .append("\" status=").append(status).append(" key=").append(keyId).append(" bytes_out=")
                .append(bytesOut).append(" ms=").append(hundredths / 100).append(fraction < 10 ? ".0" : ".")
                .append(fraction).toString();
    }

    private ApiError unexpected(Throwable t) {
        LOG.error("unexpected failure while serving a request", t);
        return Errors.from(t);
    }

    private ApiKey authenticate(Request request) {
        String secret = request.getHeaders().get("x-api-key");
        if (secret == null) {
            // The official SDKs send a client's API key as a bearer token: accept it in either header.
            String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                secret = authorization.substring(7).strip();
            }
        }
        if (secret == null || secret.isEmpty()) {
            throw ApiError.of(401, "authentication_error", "an API key is required, in the x-api-key header"
                    + " or as Authorization: Bearer");
        }
        ApiKey key = keys.authenticate(secret).orElseThrow(() -> ApiError.of(401, "authentication_error",
                "invalid x-api-key"));
        String workspace = request.getHeaders().get("anthropic-workspace-id");
        if (workspace != null && !workspace.equals(key.workspaceId().value())) {
            throw ApiError.of(403, "permission_error", "this API key does not belong to workspace " + workspace);
        }
        return key;
    }

    private static Optional<SessionId> session(Request request) {
        String raw = request.getHeaders().get(SESSION_HEADER);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SessionId.of(raw));
        } catch (MemoryException e) {
            throw ApiError.invalid(SESSION_HEADER + ": not a session id: " + e.getMessage());
        }
    }

    /**
     * The largest declared body read into an array of its declared size before any of it arrives; larger bodies
     * grow with the bytes that do arrive.
     */
    static final int PRESIZED_BODY_LIMIT = 64 * 1024;

    private byte[] readBody(Request request) {
        try {
            return readBodyOrFail(request);
        } catch (IOException e) {
            throw ApiError.of(408, "invalid_request_error", "the request body could not be read in time: "
                    + e.getMessage());
        }
    }

    private byte[] readBodyOrFail(Request request) throws IOException {
        long declared = request.getLength();
        if (declared == 0) {
            return NO_BODY;   // a GET, a DELETE, a POST without a body: nothing to read
        }
        if (declared > 0 && declared <= Math.min(maxBodyBytes, PRESIZED_BODY_LIMIT)) {
            // The common case, a small body of a known length within the limit: read into an array of that size,
            // with no staging buffer and no copy. Only up to PRESIZED_BODY_LIMIT: the array is allocated before a
            // byte has arrived (and before the key is checked), so a larger declared length must not reserve memory
            // that the client may never send; such bodies grow with what arrives, below.
            byte[] body = new byte[(int) declared];
            try (InputStream in = Request.asInputStream(request)) {
                int n = in.readNBytes(body, 0, body.length);
                if (n != body.length) {
                    throw ApiError.invalid("the request body ended after " + n + " of the " + declared
                            + " bytes its Content-Length declares");
                }
                return body;
            }
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean tooLarge = declared > maxBodyBytes;
        long drained = 0;
        try (InputStream in = Request.asInputStream(request)) {
            byte[] chunk = new byte[16384];
            int n;
            // A body over the limit is read and dropped (up to DRAIN_LIMIT) before the 413, so that the client,
            // still sending, gets the answer instead of a reset connection; past that the connection is closed.
            while ((!tooLarge || declared <= DRAIN_LIMIT) && drained <= DRAIN_LIMIT && (n = in.read(chunk)) > 0) {
                if (tooLarge || buf.size() + n > maxBodyBytes) {
                    tooLarge = true;
                    drained += n;
                    continue;
                }
                buf.write(chunk, 0, n);
            }
        }
        if (tooLarge) {
            throw tooLarge();
        }
        return buf.toByteArray();
    }

    private ApiError tooLarge() {
        return ApiError.of(413, "request_too_large", "the request body is larger than " + maxBodyBytes
                + " bytes");
    }

    /** Splits a raw path below {@code /v1/} into decoded segments; anything else is a 404. */
    static List<String> segments(String rawPath) {
        if (!rawPath.startsWith("/v1/")) {
            throw ApiError.notFound("no endpoint " + rawPath + "; the API is under /v1/");
        }
        List<String> out = new ArrayList<>();
        for (String s : rawPath.substring(4).split("/", -1)) {
            String d = Query.decode(s, false);
            if (d.isEmpty() || d.contains("/")) {
                throw ApiError.notFound("no endpoint " + rawPath);
            }
            out.add(d);
        }
        return out;
    }

    /** A response body serialised once into a growable array, handed to Jetty without another copy. */
    private static final class Out extends ByteArrayOutputStream {

        private Out(int size) {
            super(size);
        }

        static Out of(byte[] bytes) {
            Out out = new Out(0);
            out.buf = bytes;
            out.count = bytes.length;
            return out;
        }

        /** Writes a JSON body; a failure here is a bug (the library's values always serialise). */
        static Out json(JsonBody body) {
            Out out = new Out(1536);
            try (JsonGenerator g = Wire.MAPPER.getFactory().createGenerator(out)) {
                body.write(g);
            } catch (IOException e) {
                throw new UncheckedIOException(e);   // writing to memory does not fail
            }
            return out;
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
