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
    /** The most a 2-byte length says. */
    static final int MAX_BODY = 0xffff;

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
        if (body.length > MAX_BODY) { // its length would wrap and the peer would read the stream out of step
            throw new IllegalArgumentException("an lp:// body of " + body.length + " bytes is over the 2-byte length's " + MAX_BODY);
        }
        return ByteBuffer.allocate(2 + body.length).putShort((short) body.length).put(body).array();
    }

    public static void main(String[] args) {
        Protocol.register("lp", new LengthPrefixed());
        Worker shout = new Worker(System.getProperty("lp.listen", "lp://0.0.0.0:7373")).setName("shout");
        shout.onMessage((connection, text) -> {
            String upper = ((String) text).toUpperCase(java.util.Locale.ROOT); // may grow: ŉ is ʼN
            connection.send(upper.getBytes(StandardCharsets.UTF_8).length <= MAX_BODY ? upper : "ERROR: the answer would be over " + MAX_BODY + " bytes");
        });
        Worker.runAll(args);
    }
}
