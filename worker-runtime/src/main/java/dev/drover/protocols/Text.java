package dev.drover.protocols;

import dev.drover.Connection;
import dev.drover.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Workerman's text protocol: one package per {@code \n}-terminated line; data is the line as a String, without its end ({@code \r}s before the {@code \n} too). */
public final class Text implements Protocol {
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
        int end = packet.length - 1;
        while (end > 0 && packet[end - 1] == '\r') { // the line's end, as Workerman's rtrim("\r\n")
            end--;
        }
        return new String(packet, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] encode(Object data, Connection connection) {
        byte[] body = data instanceof byte[] bytes ? bytes : String.valueOf(data).getBytes(StandardCharsets.UTF_8);
        byte[] line = java.util.Arrays.copyOf(body, body.length + 1);
        line[body.length] = '\n';
        return line;
    }
}
