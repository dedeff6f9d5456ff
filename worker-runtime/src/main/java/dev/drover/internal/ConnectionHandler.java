package dev.drover.internal;

import dev.drover.http.Request;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Calls the connection's callbacks ({@code onConnect}, {@code onMessage}, {@code onClose},
 * {@code onBufferFull}, {@code onBufferDrain}). An exception escaping a callback ends the worker
 * (status 250); bad input only ends its own connection.
 */
final class ConnectionHandler extends ForwardingInbound {
    private final WorkerRuntime runtime;
    private final NettyConnection connection;
    /** A ws:// client's handshake was answered with its 101. */
    private boolean clientHandshakeDone;
    /** What was read while receiving was paused (or before a WebSocket handshake was done), in order (null while nothing is held). */
    private ArrayDeque<Object> held;
    private ChannelHandlerContext context;

    ConnectionHandler(WorkerRuntime runtime, NettyConnection connection) {
        this.runtime = runtime;
        this.connection = connection;
        connection.whenResumed(this::dispatchHeld);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        runtime.opened(connection);
        if (!(connection.codec() instanceof WebSocketClientCodec)) {
            fireConnect();
        }
        ctx.fireChannelActive();
    }

    /**
     * Dispatches {@code message}; while receiving is paused (pauseRecv), and until what was held
     * then is dispatched, holds it: packages a read brought after the one whose callback paused
     * wait for resumeRecv, as Workerman leaves them in its buffer.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        // A websocket:// connection not open yet: frames that came with or right behind its handshake
        // wait for onWebSocketConnect, as in Workerman, and for the 101 to have gone out.
        if (held != null || connection.paused() || connection.beforeOpen() || connection.answerOwed()) {
            if (held == null) {
                held = new ArrayDeque<>();
                context = ctx;
            }
            held.add(message);
            if (connection.answerOwed()) {
                connection.waitForAnswer();
            }
            return;
        }
        dispatch(ctx, message);
    }

    /** After resumeRecv: what was held, in order, until the application pauses again. */
    private void dispatchHeld() {
        while (held != null && !connection.paused() && !connection.beforeOpen()) {
            if (connection.answerOwed()) {
                connection.waitForAnswer(); // a pipelined request: after the answer owed
                return;
            }
            Object message = held.poll();
            if (message == null) {
                held = null;
                return;
            }
            dispatch(context, message);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, Object message) {
        try {
            if (message instanceof CloseWebSocketFrame closeFrame) {
                connection.closeFrameArrived(closeFrame); // Netty's protocol handler leaves them to drover (WebSocketCodec)
                return;
            }
            if (connection.closing()) {
                return; // closed by the application: what the same read brought after is not its any more
            }
            if (message instanceof WebSocketCodec.Control control) {
                connection.controlArrived(control);
                return;
            }
            if (message instanceof DecoderResultProvider provider && !provider.decoderResult().isSuccess()) {
                rejectBadInput(ctx, provider.decoderResult().cause());
                return;
            }
            if (message instanceof WebSocketFrame frame && frame.content().readableBytes() > connection.getMaxPackageSize()) {
                // a limit set on the connection after its pipeline was made (in onConnect), lower than the one its decoder has
                connection.protocolViolated(WebSocketCloseStatus.MESSAGE_TOO_BIG, "a message over maxPackageSize ("
                        + connection.getMaxPackageSize() + " bytes)");
                return;
            }
            Object data;
            try {
                data = connection.codec().decode(message, connection);
            } catch (RequestHeadRules.Refused refused) {
                rejectBadInput(ctx, refused); // a body the request's own head says it cannot be (MultipartForm)
                return;
            }
            if (connection.codec() instanceof HttpCodec) {
                connection.requestArrived((Request) data);
            } else {
                connection.messageArrived();
            }
            runtime.requestArrived();
            if (connection.messageCallback() != null) {
                runtime.call("onMessage", () -> connection.messageCallback().call(connection.facade(), data));
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelReadComplete(); // the tail's: the read's writes were flushed before it got here (Flushes)
        connection.readComplete();
    }

    /** Bad input ends the connection: HTTP answers 400 (or what the refusal says) first; nothing read after it is dispatched. */
    private void rejectBadInput(ChannelHandlerContext ctx, Throwable cause) {
        connection.refusedInput();
        if (connection.codec() instanceof HttpCodec) {
            ctx.writeAndFlush(HttpCodec.badRequest(cause)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void fireConnect() {
        if (connection.connectCallback() != null) {
            runtime.call("onConnect", () -> connection.connectCallback().call(connection.facade()));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            clientHandshakeDone = true;
            fireConnect(); // a ws:// client is connected once its handshake is done
        }
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) { // Netty closes it next
            connection.handshakeFailed(new WebSocketClientHandshakeException("the server did not answer the WebSocket handshake within "
                    + WebSocketClientCodec.HANDSHAKE_TIMEOUT_SECONDS + " s"));
        }
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            connection.webSocketOpened(ctx.pipeline().get(WebSocketExtensionEncoder.class) != null);
            dispatchHeld(); // what came with the handshake, now that onWebSocketConnect had it first (NettyConnection#handshakeArrived)
        }
        ctx.fireUserEventTriggered(event);
    }

    /**
     * Netty may deliver writability changes late, when the channel already flipped back; the
     * connection keeps its own full/drained state so onBufferFull and onBufferDrain alternate.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            connection.bufferDrained();
        } else {
            connection.bufferFilled();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection.codec() instanceof WebSocketClientCodec && !clientHandshakeDone && !connection.closing()) {
            // a ws:// client the server let go before its 101: a connect that failed, as a refused one (onError, then onClose)
            connection.handshakeFailed(new WebSocketClientHandshakeException("the server closed the connection before answering the"
                    + " WebSocket handshake"));
        }
        if (held != null) {
            held.forEach(ReferenceCountUtil::release); // the connection is gone: nobody will resume it
            held = null;
        }
        runtime.closed(connection);
        if (connection.closeCallback() != null) {
            runtime.call("onClose", () -> connection.closeCallback().call(connection.facade()));
        }
        ctx.fireChannelInactive();
    }

    /**
     * Resets, oversized or undecodable packages: the peer's problem, not the worker's; the connection
     * is destroyed, and nothing more it read is dispatched. A package a Protocol refused is logged,
     * as Workerman logs its "Error package", and so is a Protocol's own code failing on one (with
     * the stack trace: it is the application's to fix). A client that does not speak TLS to a TLS
     * listener, or fails its handshake, is closed without a word, as on https.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt
                && (connection.codec() instanceof WebSocketCodec || connection.codec() instanceof WebSocketClientCodec)) {
            if (connection.isOutgoing()) { // the server's fault, which only this end can see: logged, as Workerman's "error package"
                runtime.log(connection.facade() + ": closed with " + corrupt.closeStatus().code() + ": the server sent a frame it refuses: "
                        + corrupt.getMessage());
            }
            connection.protocolViolated(corrupt.closeStatus(), corrupt.getMessage());
            return;
        }
        if (connection.isOutgoing() && (cause instanceof WebSocketClientHandshakeException || Tls.failed(cause))) {
            connection.handshakeFailed(cause); // Workerman prints these; an accepted connection's are the client's to know
            connection.destroy();
            return;
        }
        if (connection.codec() instanceof ProtocolCodec codec && cause instanceof DecoderException && !Tls.failed(cause)) {
            String connectionName = codec.name() + " connection " + connection.getId() + (connection.isOutgoing() ? " to " : " from ")
                    + connection.getRemoteAddress();
            runtime.log(cause instanceof ProtocolDecoder.BadInput ? connectionName + " destroyed: " + cause.getMessage()
                    : connectionName + " destroyed: its protocol failed on a package: "
                            + Fatal.trace(cause.getCause() != null ? cause.getCause() : cause));
        }
        connection.destroy();
    }
}
