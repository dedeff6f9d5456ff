package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.WebSocketClose;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

/**
 * {@code websocket://}: the handshake on any path, pings answered, fragments joined; text frames
 * arrive as String, binary as byte[]; messages over maxPackageSize close the connection (1009).
 */
final class WebSocketCodec implements Codec {
    static final WebSocketCodec INSTANCE = new WebSocketCodec();
    private static final int HANDSHAKE_MAX = 64 * 1024;
    /** How long a close frame we sent waits for the client's before the connection is closed anyway. */
    static final long CLOSE_HANDSHAKE_MILLIS = 1000;
    /** Opcodes of the frames {@link #frame} writes. */
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public void install(ChannelPipeline pipeline, Connection connection) {
        int max = connection.getMaxPackageSize();
        pipeline.addLast(new HttpServerCodec());
        pipeline.addLast(new HttpObjectAggregator(HANDSHAKE_MAX));
        pipeline.addLast(new WebSocketServerCompressionHandler(0));
        pipeline.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .handleCloseFrames(true)
                .forceCloseTimeoutMillis(CLOSE_HANDSHAKE_MILLIS)
                .dropPongFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(max).allowExtensions(true).build())
                .build()));
        pipeline.addLast(new WebSocketFrameAggregator(max));
    }

    @Override
    public Object decode(Object message, Connection connection) {
        if (message instanceof TextWebSocketFrame text) {
            return text.text();
        }
        ByteBuf content = ((WebSocketFrame) message).content();
        return ByteBufUtil.getBytes(content);
    }

    @Override
    public Object encode(Object data, ByteBufAllocator alloc, Connection connection) {
        if (connection instanceof NettyConnection open && open.plainFrames()) {
            if (data instanceof String text) {
                return frame(TEXT, text);
            }
            if (data instanceof byte[] bytes) {
                return frame(BINARY, bytes);
            }
        }
        if (data instanceof WebSocketClose close) {
            return new CloseWebSocketFrame(close.code(), close.reason());
        }
        if (data instanceof String text) {
            return new TextWebSocketFrame(text);
        }
        if (data instanceof WebSocketFrame frame) {
            return frame;
        }
        return new BinaryWebSocketFrame(Codec.buffer(alloc, Codec.bytesOf(data)));
    }

    /**
     * A whole unmasked server frame (RFC 6455 5.2: FIN, {@code opcode}, the payload's length in 7,
     * 16 or 64 bits) with {@code text} as UTF-8, in one buffer: what Netty's encoder writes for a
     * TextWebSocketFrame, without the frame object and the second buffer it copies through.
     */
    static ByteBuf frame(int opcode, String text) {
        int length = ByteBufUtil.utf8Bytes(text);
        ByteBuf frame = LoopBuffers.take(headerSize(length) + length);
        writeHeader(frame, opcode, length);
        ByteBufUtil.reserveAndWriteUtf8(frame, text, length);
        return frame;
    }

    /** The same for a binary payload. */
    static ByteBuf frame(int opcode, byte[] payload) {
        ByteBuf frame = LoopBuffers.take(headerSize(payload.length) + payload.length);
        writeHeader(frame, opcode, payload.length);
        return frame.writeBytes(payload);
    }

    private static int headerSize(int length) {
        return length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
    }

    private static void writeHeader(ByteBuf frame, int opcode, int length) {
        frame.writeByte(0x80 | opcode);
        if (length <= 125) {
            frame.writeByte(length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(126).writeShort(length);
        } else {
            frame.writeByte(127).writeLong(length);
        }
    }
}
