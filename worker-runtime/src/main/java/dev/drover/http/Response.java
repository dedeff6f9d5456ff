package dev.drover.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response to send on an {@code http://} connection, Workerman's
 * {@code new Response(200, ['Content-Type' => 'text/html'], 'hi')}:
 * {@code new Response(200).header("Content-Type", "text/html").body("hi")}.
 * Content-Length is set from the body.
 */
public final class Response {
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];

    public Response(int status) {
        status(status);
    }

    public Response(int status, Map<String, String> headers, String body) {
        this(status);
        headers.forEach(this::header);
        body(body);
    }

    /** Sets the status code (100 to 999). */
    public Response status(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("HTTP status must be from 100 to 999, was " + code);
        }
        this.status = code;
        return this;
    }

    /** Sets a header, replacing one of the same name. */
    public Response header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Sets the body as UTF-8 text. */
    public Response body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public Response body(byte[] bytes) {
        this.body = bytes.clone();
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return java.util.Collections.unmodifiableMap(headers);
    }

    public byte[] bodyBytes() {
        return body.clone();
    }
}
