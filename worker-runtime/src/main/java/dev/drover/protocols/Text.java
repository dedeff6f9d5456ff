package dev.drover.protocols;

import dev.drover.Connection;
import dev.drover.Protocol;
import dev.drover.WebSocketClose;
import dev.drover.WebSocketPing;
import dev.drover.WebSocketPong;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Workerman's text protocol: one package per {@code \n}-terminated line; data is the line as a
 * String, without its end ({@code \r}s before the {@code \n} too). Lines are UTF-8; for clients
 * that speak another charset, register a Text of theirs, e.g.
 * {@code Protocol.register("gbk", new Text(Charset.forName("GBK")))} and listen on
 * {@code gbk://0.0.0.0:5678} ({@link StandardCharsets#ISO_8859_1} keeps any bytes, one char each,
 * as PHP's strings keep them).
 */
public final class Text implements Protocol {
    private final Charset charset;

    /** Lines in UTF-8. */
    public Text() {
        this(StandardCharsets.UTF_8);
    }

    /**
     * Lines in {@code charset}, which must write {@code \n} as the one byte 10 (UTF-8, GBK,
     * Latin-1, Shift_JIS do; UTF-16 does not).
     *
     * @throws IllegalArgumentException for a charset that does not
     */
    public Text(Charset charset) {
        if (!charset.canEncode() || !Arrays.equals("\n".getBytes(charset), new byte[] {'\n'}) || !Arrays.equals("\r".getBytes(charset), new byte[] {'\r'})) {
            throw new IllegalArgumentException("text lines end with the byte 10 (\\n), which " + charset.name()
                    + " does not write as one byte: use a charset such as UTF-8, GBK or ISO-8859-1");
        }
        this.charset = charset;
    }

    @Override
    public int input(ByteBuffer buffer, Connection connection) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            if (buffer.get(i) == '\n') {
                return i - buffer.position() + 1;
            }
        }
        return 0;
    }

    @Override
    public Object decode(byte[] packet, Connection connection) {
        int end = packet.length;
        if (end > 0 && packet[end - 1] == '\n') { // a whole datagram (AsyncUdpConnection) may come without one
            end--;
        }
        while (end > 0 && packet[end - 1] == '\r') { // the line's end, as Workerman's rtrim("\r\n")
            end--;
        }
        return new String(packet, 0, end, charset);
    }

    /**
     * {@code data} as text: a String, or what {@code String.valueOf} makes of a number and the like.
     * WebSocket frames are refused: their text would be a Java object's, not a frame.
     */
    static String text(Object data) {
        if (data instanceof WebSocketClose || data instanceof WebSocketPing || data instanceof WebSocketPong) {
            throw new IllegalArgumentException("cannot send a " + data.getClass().getSimpleName()
                    + " on this connection: it is a WebSocket frame, for websocket:// and ws:// connections");
        }
        return String.valueOf(data);
    }

    @Override
    public byte[] encode(Object data, Connection connection) {
        byte[] body = data instanceof byte[] bytes ? bytes : text(data).getBytes(charset);
        byte[] line = Arrays.copyOf(body, body.length + 1);
        line[body.length] = '\n';
        return line;
    }
}
