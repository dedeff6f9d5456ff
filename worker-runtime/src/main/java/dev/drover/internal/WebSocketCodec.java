package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.WebSocketClose;
import dev.drover.WebSocketPing;
import dev.drover.WebSocketPong;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.Base64;
import java.util.List;

/**
 * {@code websocket://}: the handshake on any path, pings answered (or handed to onWebSocketPing), fragments joined; text frames
 * arrive as String, binary as byte[]; messages over maxPackageSize close the connection (1009),
 * whether one frame says so, its fragments add up to more, or a compressed frame inflates past it.
 *
 * <p>The handshake's decoder and encoder are two handlers, not Netty's HttpServerCodec: the
 * handshake replaces the decoder with the frame decoder in place, which hands it the bytes read
 * after the handshake (a client's first frame in the same packet). Netty sends no close frame of
 * its own when the connection closes: drover's close sends one, and a frame the client got wrong
 * is answered by the frame decoder's, so a client never gets two.
 */
final class WebSocketCodec implements Codec {
    static final WebSocketCodec INSTANCE = new WebSocketCodec();
    private static final int HANDSHAKE_MAX = 64 * 1024;
    /**
     * How far past maxPackageSize a compressed frame may inflate before it is refused. Netty's
     * inflater refuses once its buffer is at the bound and twice the input left would not fit, so
     * a bound of maxPackageSize exactly refused messages a little under it; fragments are summed
     * exactly (WebSocketFrameAggregator).
     */
    static final int INFLATE_SLACK = 4096;
    /** How long a close frame we sent waits for the client's before the connection is closed anyway (NettyConnection's goAway). */
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
        // The encoder first: the frame encoder goes where it is, so the frame decoder's own close frames pass it.
        pipeline.addLast(new DatedResponseEncoder());
        pipeline.addLast(new RequestDecoder());
        pipeline.addLast(new RequestBodies(HANDSHAKE_MAX));
        pipeline.addLast(new HandshakeCheck(connection));
        if (connection.getWorker().isWebSocketCompression()) {
            pipeline.addLast(new WebSocketServerCompressionHandler(max + INFLATE_SLACK));
        }
        ControlFrames.add(pipeline, connection, true);
        pipeline.addLast(new ProtocolHandler(connection, WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .subprotocols(subprotocols(connection))
                .checkStartsWith(true)
                .handleCloseFrames(false) // answered once by NettyConnection.closeFrameArrived
                .sendCloseFrame(null)
                .dropPongFrames(true)
                // A frame that breaks the protocol is answered by NettyConnection.protocolViolated: Netty's decoder sends no close
                // frame for a close frame's bad code or reason, which it counts as the closing handshake already.
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(max).allowExtensions(true)
                        .closeOnProtocolViolation(false).build())
                .build()));
        pipeline.addLast(ReservedBits.INSTANCE);
        pipeline.addLast(new WebSocketFrameAggregator(max));
        pipeline.addLast(TooBig.INSTANCE);
    }

    /** The subprotocols the connection's worker speaks, as Netty's handshaker takes them; null for none. */
    private static String subprotocols(Connection connection) {
        List<String> protocols = connection.getWorker().getWebSocketProtocols();
        return protocols.isEmpty() ? null : String.join(",", protocols);
    }

    /**
     * RFC 6455's handshake only (version 13, a key of 16 bytes in base64): Netty's handshakers also
     * take the drafts before it (Hixie-76, versions 7 and 8), which no browser has sent in a decade.
     * Another version gets 426 naming 13 (RFC 6455 4.4); a bad key, another method than GET or no
     * Upgrade 400; a head HTTP refuses ({@link RequestHeadRules}, the decoder's limits) what HTTP
     * answers. A handshake that passes
     * goes to onWebSocketConnect before Netty's handshaker writes the 101, as in Workerman, so the
     * application may still refuse it ({@link NettyConnection#handshakeArrived}). Leaves the
     * pipeline once a handshake goes on; after a refusal, drops what the connection still brings.
     */
    static final class HandshakeCheck extends ChannelInboundHandlerAdapter {
        private final Connection connection;
        /** A handshake was refused (one handed on removes this handler): what the connection brings after it is dropped. */
        private boolean answered;

        HandshakeCheck(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (answered) {
                ReferenceCountUtil.release(message);
                return;
            }
            if (!(message instanceof FullHttpRequest request)) {
                ctx.fireChannelRead(message);
                return;
            }
            answered = true;
            // Malformed or over the head limits: answered as HTTP answers it (400, 414, 431). Netty's
            // handshaker took such a head for an old draft's and said "Missing origin header".
            Throwable head = request.decoderResult().isSuccess() ? RequestHeadRules.check(request) : request.decoderResult().cause();
            if (head != null) {
                request.release();
                ctx.writeAndFlush(HttpCodec.badRequest(head)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String version = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
            boolean version13 = "13".equals(version);
            String wrong = version13 ? notAHandshake(request)
                    : "a WebSocket handshake of version 13 (RFC 6455) is needed, not " + (version == null ? "none" : version);
            if (wrong != null) {
                request.release();
                FullHttpResponse response = HttpCodec.refusal(version13 ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.UPGRADE_REQUIRED, wrong + "\n");
                if (!version13) { // RFC 9110 15.5.22: a 426 names the protocol to upgrade to
                    response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET).set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")
                            .set(HttpHeaderNames.CONNECTION, "upgrade, close"); // RFC 9110 7.8: Upgrade is named in Connection
                }
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (connection instanceof NettyConnection open) {
                if (!open.handshakeArrived(request)) {
                    request.release(); // the application closed it: it answered, or nothing is
                    return;
                }
                if (open.handshakeHeaders() != null) {
                    ctx.pipeline().addAfter(ctx.name(), null, new HandshakeHeaders(open.handshakeHeaders()));
                }
            }
            if (!request.uri().startsWith("/")) {
                request.setUri("/"); // absolute form (RFC 9112 3.2.2) and the like: Netty's handshaker takes "/..." only, and left others unanswered
            }
            // Netty's handshaker takes "Upgrade: websocket" alone, and left "websocket, h2c" unanswered; the application saw the list.
            request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(message);
        }

        /**
         * What makes a version 13 request no handshake (RFC 6455 4.2.1), checked here as Netty's
         * handshaker checks it, so onWebSocketConnect sees handshakes only; null for a handshake.
         */
        private static String notAHandshake(FullHttpRequest request) {
            HttpHeaders headers = request.headers();
            if (!HttpMethod.GET.equals(request.method())) {
                return "a WebSocket handshake is a GET, not a " + request.method();
            }
            if (request.protocolVersion().minorVersion() < 1) {
                return "a WebSocket handshake is HTTP/1.1, not " + request.protocolVersion();
            }
            if (!headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
                return "a WebSocket handshake says Connection: Upgrade";
            }
            if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) { // a list may name others (RFC 9110 7.8)
                return "a WebSocket handshake says Upgrade: websocket";
            }
            if (headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY).size() > 1) {
                return "a WebSocket handshake has one Sec-WebSocket-Key (RFC 6455 11.3.1)";
            }
            return validKey(headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY)) ? null : "Sec-WebSocket-Key must be 16 bytes in base64";
        }

        private static boolean validKey(String key) {
            try {
                return key != null && Base64.getDecoder().decode(key.trim()).length == 16;
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
    }

    /** RFC 6455 5.2: no extension gives a ping or a pong a reserved bit (RFC 7692 6: permessage-deflate leaves them alone). */
    private static boolean reservedBitsOnControl(WebSocketFrame frame) {
        return frame.rsv() != 0 && (frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame);
    }

    private static CorruptedWebSocketFrameException reservedBits() {
        return new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, "RSV bits on a control frame");
    }

    /**
     * What both protocol handlers, the server's and a ws:// client's, do before Netty's: refuse a
     * ping or pong with a reserved bit, and answer a ping the hooks do not take ({@link #answeredPing}).
     * Whether {@code frame} was taken here.
     *
     * @throws CorruptedWebSocketFrameException for a reserved bit: the connection closes with 1002
     */
    static boolean takenBeforeNetty(ChannelHandlerContext ctx, WebSocketFrame frame, Connection connection) {
        if (reservedBitsOnControl(frame)) {
            throw reservedBits();
        }
        return answeredPing(ctx, frame, connection);
    }

    /**
     * Answers a ping the connection's hooks do not take (Netty's protocol handler would) as a send
     * of a pong: past maxSendBufferSize it is dropped, as Workerman's is (onError, send_fail).
     * Netty's wrote each one whatever waited, and a client that pings without reading grew the
     * worker's memory to its end. Returns whether {@code frame} was such a ping.
     */
    private static boolean answeredPing(ChannelHandlerContext ctx, WebSocketFrame frame, Connection connection) {
        if (!(frame instanceof PingWebSocketFrame) || !(connection instanceof NettyConnection open)) {
            return false;
        }
        open.send(new WebSocketPong(ByteBufUtil.getBytes(frame.content())));
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read(); // as Netty's: a ping read on request is no message, and the next read is still owed
        }
        return true;
    }

    /**
     * Netty's protocol handler, except that a frame that breaks the protocol goes on to
     * {@link NettyConnection#protocolViolated} without Netty closing the connection first: a frame
     * that came with the handshake must have its close frame wait for the 101.
     */
    static final class ProtocolHandler extends WebSocketServerProtocolHandler {
        private final Connection connection;

        ProtocolHandler(Connection connection, WebSocketServerProtocolConfig config) {
            super(config);
            this.connection = connection;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) throws Exception {
            if (!takenBeforeNetty(ctx, frame, connection)) {
                super.decode(ctx, frame, out);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (cause instanceof CorruptedWebSocketFrameException) {
                ctx.fireExceptionCaught(cause);
            } else {
                super.exceptionCaught(ctx, cause);
            }
        }
    }

    /**
     * Puts what onWebSocketConnect added ({@link dev.drover.Connection#addWebSocketHeader}) in the
     * 101 as Netty's handshaker writes it, replacing a header of the same name, then leaves.
     */
    static final class HandshakeHeaders extends ChannelOutboundHandlerAdapter {
        private final HttpHeaders added;

        HandshakeHeaders(HttpHeaders added) {
            this.added = added;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
            boolean head = message instanceof HttpResponse;
            if (head) {
                for (String name : added.names()) {
                    ((HttpResponse) message).headers().set(name, added.getAll(name));
                }
            }
            ctx.write(message, promise);
            if (head) {
                ctx.pipeline().remove(this);
            }
        }
    }

    /**
     * A data frame with an RSV bit that no negotiated extension took (RFC 6455 5.2) closes with
     * 1002. The frame decoder allows the bits on every connection, as a compressed one needs RSV1;
     * this sits after the extension's decoder, which clears the bit it took, so any bit left is
     * one the client had no right to set. Control frames never pass here: the protocol handler
     * before it answers them, and refuses one with a bit set ({@link #takenBeforeNetty}).
     */
    @ChannelHandler.Sharable
    static final class ReservedBits extends ChannelInboundHandlerAdapter {
        static final ReservedBits INSTANCE = new ReservedBits();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof WebSocketFrame frame && frame.rsv() != 0) {
                frame.release();
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR, "RSV bits without an extension"))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.fireChannelRead(message);
        }
    }

    /** A ping or pong the application takes (onWebSocketPing, onWebSocketPong), with its payload. */
    record Control(boolean ping, byte[] payload) {}

    /**
     * Takes pings and pongs past Netty's protocol handler, which answers pings and drops pongs, to
     * {@link ConnectionHandler} as {@link Control}s: they reach the application in order with the
     * messages, and wait with them (while it paused receiving, and before the 101). It takes the
     * frames a connection's hooks take (onWebSocketPing, onWebSocketPong: its own or its worker's, or
     * its AsyncTcpConnection's), for as long as it lives; and on a websocket:// connection, the pings
     * that came with its handshake, which drover answers once the 101 went out (Netty's answer went
     * before it, and was lost). A server connection without hooks drops it as it opens.
     */
    static final class ControlFrames extends ChannelInboundHandlerAdapter {
        private final NettyConnection connection;

        private ControlFrames(NettyConnection connection) {
            this.connection = connection;
        }

        static ControlFrames of(NettyConnection connection) {
            return new ControlFrames(connection);
        }

        /** Adds one for a websocket:// connection; for a ws:// one when it has a hook. */
        static void add(ChannelPipeline pipeline, Connection connection, boolean server) {
            if (connection instanceof NettyConnection own) { // not a codec test's stand-in
                ControlFrames frames = new ControlFrames(own);
                if (server || frames.hooked()) {
                    pipeline.addLast(frames);
                }
            }
        }

        /** Whether it is still needed once the connection is open: hooks take pings or pongs (the worker's, or the connection's own, set in onConnect). */
        boolean hooked() {
            return connection.pingCallback() != null || connection.pongCallback() != null;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof WebSocketFrame frame && reservedBitsOnControl(frame)) {
                frame.release();
                ctx.fireExceptionCaught(reservedBits());
                return;
            }
            boolean ping = message instanceof PingWebSocketFrame;
            if (ping ? connection.pingCallback() != null || connection.beforeOpen()
                    : message instanceof PongWebSocketFrame && connection.pongCallback() != null) {
                WebSocketFrame frame = (WebSocketFrame) message;
                Control control = new Control(ping, ByteBufUtil.getBytes(frame.content()));
                frame.release();
                ctx.fireChannelRead(control);
                return;
            }
            ctx.fireChannelRead(message);
        }
    }

    /**
     * A message that grew past maxPackageSize after its frames' headers were read (fragments, or a
     * compressed frame inflating) closes with 1009, as one frame that says so does (the frame
     * decoder closes that one itself). Only exceptions pass here: Netty skips it for reads.
     */
    @ChannelHandler.Sharable
    static final class TooBig extends ChannelInboundHandlerAdapter {
        static final TooBig INSTANCE = new TooBig();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException || inflatedTooFar(cause)) {
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG)).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }

        /** Netty's inflater says so only in its message; other DecompressionExceptions are corrupt data. */
        private static boolean inflatedTooFar(Throwable cause) {
            return cause instanceof DecompressionException && String.valueOf(cause.getMessage()).contains("maximum size");
        }
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
        if (data instanceof WebSocketPing ping) {
            return new PingWebSocketFrame(Unpooled.wrappedBuffer(ping.payload())); // masked by a ws:// client's encoder
        }
        if (data instanceof WebSocketPong pong) {
            return new PongWebSocketFrame(Unpooled.wrappedBuffer(pong.payload()));
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
