package dev.agentmemory.server.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises itself, before a request reaches the API (a malformed request line, an ambiguous
 * URI, headers too large, a shutdown in progress), in the hosted error shape instead of an HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() > 0 ? response.getStatus() : 500;
        Object message = request.getAttribute(ERROR_MESSAGE);
        String type = switch (status) {
            case 400, 405, 414, 431 -> "invalid_request_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 503 -> "overloaded_error";
            default -> status < 500 ? "invalid_request_error" : "api_error";
        };
        ApiError e = ApiError.of(status, type, message == null ? "HTTP " + status : message.toString());
        byte[] body = Wire.error(e, "req_none").toString().getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // Jetty closes the connection after an error it raised itself; say so, or a keep-alive client reuses it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
