package dev.drover.protocols;

import dev.drover.Connection;
import dev.drover.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Workerman's frame protocol: a 4-byte big-endian total length (the header included), then the
 * body. {@code onMessage} gets the body as {@code byte[]}; {@code send} takes a String (UTF-8) or
 * {@code byte[]}.
 */
public final class Frame implements Protocol {
    private static final int HEADER = 4;

    @Override
    public int input(ByteBuffer buffer, Connection connection) {
        if (buffer.remaining() < HEADER) {
            return 0;
        }
        int total = buffer.getInt(buffer.position());
        return total < HEADER ? -1 : total;
    }

    @Override
    public Object decode(byte[] packet, Connection connection) {
        return java.util.Arrays.copyOfRange(packet, HEADER, packet.length);
    }

    @Override
    public byte[] encode(Object data, Connection connection) {
        byte[] body = data instanceof byte[] bytes ? bytes : Text.text(data).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(HEADER + body.length).putInt(HEADER + body.length).put(body).array();
    }
}
