package dev.drover.internal;

import dev.drover.http.Response;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code send("text")}, {@code send(bytes)} or {@code send(response)} with a whole body on an
 * {@code http://} connection: an answer that {@link HttpServerSide} writes as one buffer, head and
 * body, once it knows whether its request was HEAD and whether the connection closes after it.
 * A {@link Response} that Netty's encoder must shape ({@link #of}) keeps Netty's path.
 */
final class PlainAnswer {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String OCTET_STREAM = "application/octet-stream";
    /** A {@link Response}'s type when it sets none, as Workerman's: a browser would otherwise guess, and read UTF-8 as Latin-1. */
    static final String HTML = "text/html;charset=utf-8";
    private static final String DEFAULT_TYPE = "content-type: " + HTML + "\r\n";
    private static final String CONTENT_LENGTH = "content-length: ";
    /** "HTTP/1.1 404 Not Found\r\n" and the others, by status - 200, made as they are first needed (the same string if twice). */
    private static final String[] STATUS_LINES = new String[400];
    private static final byte[] TEXT_HEAD = head(TEXT);
    private static final byte[] OCTET_STREAM_HEAD = head(OCTET_STREAM);
    private static final byte[] CLOSE = "\r\nconnection: close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "\r\nconnection: keep-alive".getBytes(StandardCharsets.US_ASCII);
    private static final short CRLF = ('\r' << 8) | '\n';

    private final byte[] head;
    private final byte[] body;
    private boolean closes;

    /** {@code body} is kept, not copied: it must be an array the application cannot change. */
    private PlainAnswer(byte[] head, byte[] body) {
        this.head = head;
        this.body = body;
    }

    static PlainAnswer text(byte[] utf8) {
        return new PlainAnswer(TEXT_HEAD, utf8);
    }

    static PlainAnswer bytes(byte[] bytes) {
        return new PlainAnswer(OCTET_STREAM_HEAD, bytes);
    }

    /**
     * {@code response} as this answer, with the bytes Netty's encoder would write for it; null when
     * Netty's path must take it: a file or a stream for a body, a status outside 200-599 or one whose
     * length rules Netty's encoder applies (204, 205, 304), a length, transfer coding, connection
     * or date header of the application's own, two names that differ only in case (Netty's header map joins
     * them), or a name or value that Netty's validation refuses (it then throws the application's error),
     * a null value among them.
     */
    static PlainAnswer of(Response response) {
        int code = response.status();
        if (code < 200 || code > 599 || code == 204 || code == 205 || code == 304 || response.file() != null || response.isStreaming()) {
            return null;
        }
        String statusLine = statusLine(code);
        Map<String, List<String>> headers = response.headers();
        int size = statusLine.length() + CONTENT_LENGTH.length();
        List<String> names = new ArrayList<>(headers.size());
        boolean typed = false;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey();
            if (!ownHeader(name, names)) {
                return null;
            }
            names.add(name);
            typed |= HttpHeaderNames.CONTENT_TYPE.contentEqualsIgnoreCase(name);
            for (String value : header.getValue()) {
                if (value == null || HttpHeaderValidationUtil.validateValidHeaderValue(value) != -1) {
                    return null;
                }
                size += name.length() + 2 + value.length() + 2;
            }
        }
        byte[] head = new byte[size + (typed ? 0 : DEFAULT_TYPE.length())];
        int at = ascii(statusLine, head, 0);
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                at = ascii(header.getKey(), head, at);
                at = ascii(": ", head, at);
                at = ascii(value, head, at);
                at = ascii("\r\n", head, at);
            }
        }
        if (!typed) {
            at = ascii(DEFAULT_TYPE, head, at);
        }
        ascii(CONTENT_LENGTH, head, at);
        return new PlainAnswer(head, response.bodyBytes());
    }

    private static String statusLine(int code) {
        String line = STATUS_LINES[code - 200];
        if (line == null) {
            HttpResponseStatus status = HttpCodec.status(code);
            line = "HTTP/1.1 " + status.codeAsText() + ' ' + status.reasonPhrase() + "\r\n";
            STATUS_LINES[code - 200] = line;
        }
        return line;
    }

    /** Whether an application's header {@code name} can go out as written, after {@code earlier} names. */
    private static boolean ownHeader(String name, List<String> earlier) {
        if (name.isEmpty() || HttpHeaderValidationUtil.validateToken(name) != -1 || HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name) || HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.DATE.contentEqualsIgnoreCase(name)) {
            return false;
        }
        for (String other : earlier) {
            if (other.equalsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code text} at {@code at} as Netty's encoder writes a header: a byte per char, '?' past 255. */
    private static int ascii(String text, byte[] into, int at) {
        for (int i = 0; i < text.length(); i++) {
            into[at++] = AsciiString.c2b(text.charAt(i));
        }
        return at;
    }

    private static byte[] head(String contentType) {
        return ("HTTP/1.1 200 OK\r\ncontent-type: " + contentType + "\r\n" + CONTENT_LENGTH).getBytes(StandardCharsets.US_ASCII);
    }

    /** The worker stops: this answer closes the connection, and says so. */
    void close() {
        closes = true;
    }

    boolean closes() {
        return closes;
    }

    /**
     * The answer's bytes, with {@code dateLine} ({@link HttpDate#line}); without the body for a HEAD request, with {@code connection: close} when
     * it closes, {@code connection: keep-alive} when {@code sayKeepAlive} (an HTTP/1.0 request asked for it) and it does not.
     */
    ByteBuf encode(boolean headRequest, boolean close, boolean sayKeepAlive, byte[] dateLine) {
        int bodyLength = headRequest ? 0 : body.length;
        ByteBuf out = LoopBuffers.take(head.length + 10 + dateLine.length + KEEP_ALIVE.length + 4 + bodyLength);
        out.writeBytes(head);
        writeDecimal(out, body.length);
        if (close) {
            out.writeBytes(CLOSE);
        } else if (sayKeepAlive) {
            out.writeBytes(KEEP_ALIVE);
        }
        out.writeBytes(dateLine);
        out.writeShort(CRLF);
        out.writeShort(CRLF);
        if (!headRequest) {
            out.writeBytes(body);
        }
        return out;
    }

    private static void writeDecimal(ByteBuf out, int value) {
        if (value >= 10) {
            writeDecimal(out, value / 10);
        }
        out.writeByte('0' + value % 10);
    }
}
