package dev.drover.internal.channel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The embedded channel server's wire format, inside {@code frame://} (a 4-byte big-endian total
 * length, then the body). A body is one ASCII type byte, then its fields, each a 4-byte
 * big-endian length and that many bytes of UTF-8; length -1 is a null field.
 *
 * <pre>
 * client to server                          server to client
 *   s event...       subscribe                e event data      an event published to a subscription
 *   u event...       unsubscribe              r value|null      the reply to a data command, in order
 *   p event data     publish                  x message         a data command failed
 *   g key            get         -> r value|null
 *   t key value      set         -> r "OK"
 *   a key value      add         -> r "1" | r null (the key existed)
 *   i key step       increment   -> r new value (decimal) | x
 *   c key old|null new   compare-and-set -> r "1" | r null
 *   d key            delete      -> r "1" | r null (there was none)
 * </pre>
 */
public final class ChannelWire {
    public static final byte SUBSCRIBE = 's';
    public static final byte UNSUBSCRIBE = 'u';
    public static final byte PUBLISH = 'p';
    public static final byte EVENT = 'e';
    public static final byte REPLY = 'r';
    public static final byte ERROR = 'x';

    private ChannelWire() {}

    /** A body of {@code type} and {@code fields} (a field may be null). */
    public static byte[] encode(byte type, List<String> fields) {
        List<byte[]> bytes = new ArrayList<>(fields.size());
        int size = 1;
        for (String field : fields) {
            byte[] b = field == null ? null : field.getBytes(StandardCharsets.UTF_8);
            bytes.add(b);
            size += 4 + (b == null ? 0 : b.length);
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(type);
        for (byte[] b : bytes) {
            if (b == null) {
                out.putInt(-1);
            } else {
                out.putInt(b.length).put(b);
            }
        }
        return out.array();
    }

    public static byte[] encode(byte type, String... fields) {
        List<String> list = new ArrayList<>(fields.length);
        Collections.addAll(list, fields);
        return encode(type, list);
    }

    /** The type of {@code body}. */
    public static byte type(byte[] body) {
        if (body.length == 0) {
            throw new IllegalArgumentException("empty channel message");
        }
        return body[0];
    }

    /**
     * The first field of {@code body} after checking it has exactly {@code count} fields, without
     * decoding the others (a publish's data is passed on as it came).
     */
    public static String first(byte[] body, int count) {
        ByteBuffer in = ByteBuffer.wrap(body, 1, body.length - 1);
        String first = null;
        for (int i = 0; i < count; i++) {
            if (in.remaining() < 4) {
                throw new IllegalArgumentException("channel message '" + (char) body[0] + "' needs " + count + " fields, got " + i);
            }
            int length = in.getInt();
            if (length == -1) {
                continue;
            }
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException("channel message '" + (char) body[0] + "' has a field of " + length
                        + " bytes with " + in.remaining() + " left");
            }
            if (i == 0) {
                first = new String(body, in.position(), length, StandardCharsets.UTF_8);
            }
            in.position(in.position() + length);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("channel message '" + (char) body[0] + "' has more than " + count + " fields");
        }
        return first;
    }

    /** The fields of {@code body}, nulls included. */
    public static List<String> fields(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body, 1, body.length - 1);
        List<String> fields = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < 4) {
                throw new IllegalArgumentException("channel message '" + (char) body[0] + "' ends inside a field length");
            }
            int length = in.getInt();
            if (length == -1) {
                fields.add(null);
                continue;
            }
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException("channel message '" + (char) body[0] + "' has a field of " + length
                        + " bytes with " + in.remaining() + " left");
            }
            fields.add(new String(body, in.position(), length, StandardCharsets.UTF_8));
            in.position(in.position() + length);
        }
        return fields;
    }
}
