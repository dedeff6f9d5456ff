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
}
