package dev.drover.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import java.nio.charset.StandardCharsets;

/**
 * How a connection's protocol sits on Netty: the handlers it adds, what {@code onMessage} gets
 * for a decoded message, and what goes down the pipeline for {@code send(data)}.
 */
interface Codec {
    String name();

    /**
     * The handler at the head of a connection's pipeline (after TLS): its {@link Traffic}, counted
     * and flushed. A codec whose own handler can be that one (HTTP's) returns it.
     */
    default Traffic traffic(FlushBatch batch, dev.drover.Connection connection) {
        return new Traffic(batch);
    }

    /** Adds the codec's handlers behind its {@link #traffic}. */
    void install(ChannelPipeline pipeline, dev.drover.Connection connection);

    /** The data {@code onMessage} receives for one decoded message. */
    Object decode(Object message, dev.drover.Connection connection);

    /** The outbound message for {@code send(data)}. */
    Object encode(Object data, ByteBufAllocator alloc, dev.drover.Connection connection);

    /** The codec for a listen address's protocol, or null when drover knows none of that name. */
    static Codec forScheme(String scheme) {
        return switch (scheme) {
            case "tcp" -> RawCodec.INSTANCE;
            case "http" -> HttpCodec.INSTANCE;
            case "websocket" -> WebSocketCodec.INSTANCE;
            default -> {
                dev.drover.Protocol protocol = dev.drover.Protocol.named(scheme);
                yield protocol == null ? null : new ProtocolCodec(scheme, protocol);
            }
        };
    }

    static ByteBuf buffer(ByteBufAllocator alloc, byte[] bytes) {
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    /** What {@code send(null)} sends: what {@code send("")} does, as Workerman's, whose null is PHP's empty string. */
    static Object orEmpty(Object data) {
        return data == null ? "" : data;
    }

    static byte[] bytesOf(Object data) {
        if (data instanceof byte[] bytes) {
            return bytes;
        }
        if (data instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("cannot send a " + (data == null ? "null" : data.getClass().getName()) + "; send a String or byte[]");
    }
}
