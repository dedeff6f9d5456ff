package dev.drover.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP response to send on an {@code http://} connection, Workerman's
 * {@code new Response(200, ['Content-Type' => 'text/html'], 'hi')}:
 * {@code new Response(200).header("Content-Type", "text/html").body("hi")}. Content-Length is
 * set from the body, and a response that sets no Content-Type is sent as {@code text/html;charset=utf-8},
 * as Workerman's; {@link #file} sends a file with zero-copy; a {@code Transfer-Encoding:
 * chunked} or {@code text/event-stream} response is followed by {@link Chunk}s or
 * {@link ServerSentEvent}s.
 */
public final class Response {
    /** The body of {@link #file}'s 404, Workerman's. */
    public static final String NOT_FOUND = "<h3>404 Not Found</h3>";
    private int status;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private Path file;
    private long fileOffset;
    /** How many bytes of the file from its offset; -1: to its end. */
    private long fileLength = -1;

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

    /** Sets a header, replacing those of the same name (names compare without case). */
    public Response header(String name, String value) {
        given(name, "a header's name");
        given(value, "header " + name + "'s value");
        headers.keySet().removeIf(n -> n.equalsIgnoreCase(name));
        headers.put(name, new ArrayList<>(List.of(value)));
        return this;
    }

    /** Adds a header, keeping those of the same name (names compare without case: the values join the first's). */
    public Response addHeader(String name, String value) {
        given(name, "a header's name");
        given(value, "header " + name + "'s value");
        List<String> values = values(name);
        if (values != null) {
            values.add(value);
        } else {
            headers.put(name, new ArrayList<>(List.of(value)));
        }
        return this;
    }

    /**
     * Sets a cookie for the session: {@code Set-Cookie: name=value; Path=/; HttpOnly}. The value
     * is percent-encoded as Workerman's rawurlencode does (and {@link Request#cookies} decodes it),
     * so no value can end the cookie or add an attribute.
     */
    public Response cookie(String name, String value) {
        return cookie(name, value, -1, "/", null, false, true, null);
    }

    /**
     * Sets a cookie with its attributes; {@code maxAgeSeconds} &lt; 0 means a session cookie,
     * {@code domain} and {@code sameSite} may be null.
     */
    public Response cookie(String name, String value, long maxAgeSeconds, String path, String domain, boolean secure,
                           boolean httpOnly, String sameSite) {
        given(name, "a cookie's name");
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            throw new IllegalArgumentException("cookie name '" + name + "' must be a token: visible ASCII without separators");
        }
        given(value, "cookie " + name + "'s value");
        attribute(name, "path", path);
        attribute(name, "domain", domain);
        attribute(name, "sameSite", sameSite);
        StringBuilder cookie = new StringBuilder(name).append('=').append(rawUrlEncode(value));
        if (maxAgeSeconds >= 0) {
            cookie.append("; Max-Age=").append(maxAgeSeconds);
        }
        if (path != null) {
            cookie.append("; Path=").append(path);
        }
        if (domain != null) {
            cookie.append("; Domain=").append(domain);
        }
        if (secure) {
            cookie.append("; Secure");
        }
        if (httpOnly) {
            cookie.append("; HttpOnly");
        }
        if (sameSite != null) {
            cookie.append("; SameSite=").append(sameSite);
        }
        return addHeader("Set-Cookie", cookie.toString());
    }

    /** A null where a value must be is the application's mistake: said with what it was for, not as a bare NullPointerException. */
    private static void given(Object value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null; pass \"\" for an empty one");
        }
    }

    /** A cookie's attribute may not end itself or add another: no ';', and nothing but visible ASCII and spaces. */
    private static void attribute(String cookie, String what, String value) {
        if (value != null && !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != ';')) {
            throw new IllegalArgumentException("cookie " + cookie + "'s " + what + " '" + value.replaceAll("[\\x00-\\x1f\\x7f]", "?")
                    + "' may hold no ';' and no control characters");
        }
    }

    /** {@code value} percent-encoded but for letters, digits and {@code -_.~}, as PHP's rawurlencode. */
    private static String rawUrlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    /** Sets the body as UTF-8 text. */
    public Response body(String text) {
        given(text, "the body");
        this.body = text.getBytes(StandardCharsets.UTF_8); // a new array: nobody else holds it
        return this;
    }

    public Response body(byte[] bytes) {
        given(bytes, "the body");
        this.body = bytes.clone();
        return this;
    }

    /**
     * Sends this file as the body, with zero-copy where the transport allows, its Content-Type
     * from its extension (unless set), its Last-Modified and an ETag (unless set). A path that is
     * no readable file makes this a 404, as Workerman's withFile does.
     *
     * <p>As nginx serves a static file, a 200 with a whole file answers the request's conditions
     * itself: {@code If-None-Match} or {@code If-Modified-Since} that still hold get a 304 without
     * the body, and a GET's {@code Range} of one byte range (after {@code If-Range}, if any) gets a
     * 206 with that part, which a browser's video player needs to seek; a range past the end gets
     * a 416.
     */
    public Response file(Path path) {
        return file(path, 0, 0);
    }

    /**
     * Sends {@code length} bytes of this file from {@code offset} (0: to its end), as Workerman's
     * {@code withFile($file, $offset, $length)}; the application sets the status and
     * {@code Content-Range} it answers with. A part past the end is cut at it.
     *
     * @throws IllegalArgumentException for a negative offset or length
     */
    public Response file(Path path, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("a file's offset and length are 0 or more, not " + offset + " and " + length);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            this.file = null;
            return status(404).header("Content-Type", "text/html;charset=utf-8").body(NOT_FOUND);
        }
        this.file = path;
        this.fileOffset = offset;
        this.fileLength = length == 0 ? -1 : length;
        return this;
    }

    /** Where the part of {@link #file} sent starts. */
    public long fileOffset() {
        return fileOffset;
    }

    /** How many bytes of {@link #file} are sent from {@link #fileOffset}; -1 for all to its end. */
    public long fileLength() {
        return fileLength;
    }

    public int status() {
        return status;
    }

    /** The headers, each name with its values. */
    public Map<String, List<String>> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /** The first value of a header (name in any case), or null. */
    public String headerValue(String name) {
        List<String> values = values(name);
        return values == null ? null : values.get(0);
    }

    /** The values of header {@code name} (in any case), or null. */
    private List<String> values(String name) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    public byte[] bodyBytes() {
        return body.clone();
    }

    /** The file to send as the body, or null. */
    public Path file() {
        return file;
    }

    /**
     * Whether the body follows as chunks or events rather than now: a Transfer-Encoding that ends
     * in chunked, or a Content-Type of text/event-stream (in any case). A body set on it goes out
     * first, as the first chunk or as it is.
     */
    public boolean isStreaming() {
        String encoding = headerValue("Transfer-Encoding");
        String type = headerValue("Content-Type");
        if (encoding != null) {
            String last = encoding.substring(encoding.lastIndexOf(',') + 1).trim();
            if (last.equalsIgnoreCase("chunked")) {
                return true;
            }
        }
        return type != null && type.regionMatches(true, 0, "text/event-stream", 0, "text/event-stream".length());
    }
}
