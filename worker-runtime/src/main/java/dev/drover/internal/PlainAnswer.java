package dev.drover.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * {@code send("text")} or {@code send(bytes)} on an {@code http://} connection: a 200 answer that
 * {@link HttpServerSide} writes as one buffer, head and body, once it knows whether its request was
 * HEAD and whether the connection closes after it.
 */
final class PlainAnswer {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String OCTET_STREAM = "application/octet-stream";
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

    private static byte[] head(String contentType) {
        return ("HTTP/1.1 200 OK\r\ncontent-type: " + contentType + "\r\ncontent-length: ").getBytes(StandardCharsets.US_ASCII);
    }

    /** The worker stops: this answer closes the connection, and says so. */
    void close() {
        closes = true;
    }

    boolean closes() {
        return closes;
    }

    /**
     * The answer's bytes; without the body for a HEAD request, with {@code connection: close} when
     * it closes, {@code connection: keep-alive} when {@code sayKeepAlive} (an HTTP/1.0 request asked for it) and it does not.
     */
    ByteBuf encode(boolean headRequest, boolean close, boolean sayKeepAlive) {
        int bodyLength = headRequest ? 0 : body.length;
        ByteBuf out = LoopBuffers.take(head.length + 10 + KEEP_ALIVE.length + 4 + bodyLength);
        out.writeBytes(head);
        writeDecimal(out, body.length);
        if (close) {
            out.writeBytes(CLOSE);
        } else if (sayKeepAlive) {
            out.writeBytes(KEEP_ALIVE);
        }
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
