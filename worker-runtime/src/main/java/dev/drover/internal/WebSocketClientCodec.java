package dev.drover.internal;

import dev.drover.Connection;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.List;

/** {@code ws://} and {@code wss://} for outgoing connections: the client handshake, then frames as the server's codec has them. */
final class WebSocketClientCodec implements Codec {
    /** How long the server has to answer the handshake (Netty's default): then it is a connect that failed. */
    static final int HANDSHAKE_TIMEOUT_SECONDS = 10;

    private final URI uri;

    WebSocketClientCodec(URI uri) {
        this.uri = uri;
    }

    @Override
    public String name() {
        return "ws";
    }

    @Override
    public void install(ChannelPipeline pipeline, Connection connection) {
        int max = connection.getMaxPackageSize();
        pipeline.addLast(new HttpClientCodec());
        pipeline.addLast(new HttpObjectAggregator(64 * 1024));
        WebSocketCodec.ControlFrames.add(pipeline, connection, false);
        pipeline.addLast(new ProtocolHandler(connection, WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(true)
                .customHeaders(new DefaultHttpHeaders())
                .maxFramePayloadLength(max)
                .handleCloseFrames(false) // answered by NettyConnection.closeFrameArrived, with a close frame (Netty's only closed)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_SECONDS * 1000L)
                .build()));
        pipeline.addLast(new WebSocketFrameAggregator(max));
    }

    /** Netty's protocol handler, control frames taken as the server's are ({@link WebSocketCodec#takenBeforeNetty}). */
    private static final class ProtocolHandler extends WebSocketClientProtocolHandler {
        private final Connection connection;

        ProtocolHandler(Connection connection, WebSocketClientProtocolConfig config) {
            super(config);
            this.connection = connection;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) throws Exception {
            if (!WebSocketCodec.takenBeforeNetty(ctx, frame, connection)) {
                super.decode(ctx, frame, out);
            }
        }
    }

    @Override
    public Object decode(Object message, Connection connection) {
        return WebSocketCodec.INSTANCE.decode(message, connection);
    }

    @Override
    public Object encode(Object data, ByteBufAllocator alloc, Connection connection) {
        return WebSocketCodec.INSTANCE.encode(data, alloc, connection);
    }
}
