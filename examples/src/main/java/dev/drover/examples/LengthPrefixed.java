package dev.drover.examples;

import dev.drover.Connection;
import dev.drover.Protocol;
import dev.drover.Worker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A protocol of your own: a 2-byte big-endian body length, then the body. Registered as "lp", so
 * {@code lp://0.0.0.0:7373} listens with it; this server answers every message in upper case.
 */
public final class LengthPrefixed implements Protocol {
    @Override
    public int input(ByteBuffer buffer, Connection connection) {
        return buffer.remaining() < 2 ? 0 : 2 + (buffer.getShort(buffer.position()) & 0xffff);
    }

    @Override
    public Object decode(byte[] packet, Connection connection) {
        return new String(packet, 2, packet.length - 2, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] encode(Object data, Connection connection) {
        byte[] body = String.valueOf(data).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + body.length).putShort((short) body.length).put(body).array();
    }

    public static void main(String[] args) {
        Protocol.register("lp", new LengthPrefixed());
        Worker shout = new Worker(System.getProperty("lp.listen", "lp://0.0.0.0:7373")).setName("shout");
        shout.onMessage((connection, text) -> connection.send(((String) text).toUpperCase()));
        Worker.runAll(args);
    }
}
