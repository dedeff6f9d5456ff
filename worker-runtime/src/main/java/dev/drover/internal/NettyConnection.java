package dev.drover.internal;

import dev.drover.AsyncTcpConnection;
import dev.drover.Connection;
import dev.drover.ConnectionCallback;
import dev.drover.ErrorCallback;
import dev.drover.MessageCallback;
import dev.drover.SendStatus;
import dev.drover.WebSocketCloseCallback;
import dev.drover.WebSocketConnectCallback;
import dev.drover.WebSocketControlCallback;
import dev.drover.WebSocketPing;
import dev.drover.WebSocketPong;
import dev.drover.Worker;
import dev.drover.http.Chunk;
import dev.drover.http.Request;
import dev.drover.http.Response;
import dev.drover.http.ServerSentEvent;
import dev.drover.master.IpText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link Connection} over a Netty channel, encoding with its protocol's {@link Codec}. */
final class NettyConnection implements Connection {
    /** How long a stopping worker waits for the next request of an idle HTTP connection. */
    static final Duration FIRST_REQUEST_GRACE = Duration.ofSeconds(1);
    /**
     * A connection of another protocol than HTTP accepted this recently that has sent nothing yet
     * may have its first message on its way when its worker stops ({@link #drain}); one silent
     * for longer is a client that only listens.
     */
    private static final long RECENT_ACCEPT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** What the 101 says for the handshake itself, which addWebSocketHeader may not replace. */
    private static final Set<AsciiString> HANDSHAKE_OWN = Set.of(HttpHeaderNames.UPGRADE, HttpHeaderNames.CONNECTION,
            HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, HttpHeaderNames.CONTENT_LENGTH,
            HttpHeaderNames.TRANSFER_ENCODING);
    /** The close frame close() sends: 1000 without a reason. */
    private static final WebSocketCloseStatus NORMAL_CLOSURE = new WebSocketCloseStatus(1000, "");

    private final Channel channel;
    private final Worker worker;
    private final Codec codec;
    private final long id;
    private final Traffic traffic;
    private final WorkerRuntime runtime;
    private final boolean outgoing;
    private final AsyncTcpConnection facade;
    private ConnectionCallback onConnect;
    private MessageCallback onMessage;
    private ConnectionCallback onClose;
    private ConnectionCallback onBufferFull;
    private ConnectionCallback onBufferDrain;
    private ErrorCallback onError;
    private int maxSendBufferSize = ConnectionDefaults.maxSendBufferSize();
    private int maxPackageSize = ConnectionDefaults.maxPackageSize();
    /** HTTP: a request was read and its response not yet sent. */
    private boolean awaitingResponse;
    /** HTTP: the request whose response is owed (its session's cookie goes on it), until it is sent. */
    private Request answering;
    /** HTTP: the handler holds requests pipelined behind the answer owed; its end dispatches them ({@link #answerEnded}). */
    private boolean pipelinedWaiting;
    /** How many messages (HTTP: requests) arrived on this connection. */
    private int messagesSeen;
    /** Set by a stop's {@link #drain}: close after the read that brings the first message. */
    private boolean closeAfterRead;
    /** When it was accepted, for a protocol other than HTTP (see {@link #drain}). */
    private final long acceptedNanos;
    /** The worker stops: close once the response in flight went out. */
    private boolean draining;
    /** Whether a websocket:// connection finished its handshake. */
    private boolean webSocketOpen;
    /** websocket://, open, and no extension (permessage-deflate) rewrites frames: sends are whole frames written here. */
    private boolean plainFrames;
    /** websocket://, before it opened: what the application sent, to go out right behind the 101 (null while nothing is). */
    private EarlySends earlySends;
    /** websocket://: the handshake went on to Netty's handshaker, its 101 on its way: too late to refuse the client or add headers. */
    private boolean webSocketAnswered;
    /**
     * websocket://: close() came while the 101 was on its way, or a frame that came with the
     * handshake broke the protocol: what was sent before it, then a close frame with this, follow the 101 (null while neither).
     */
    private WebSocketCloseStatus closeOnOpen;
    /** websocket://: what onWebSocketConnect added to the 101 (null while nothing). */
    private HttpHeaders handshakeHeaders;
    /** What the request timeouts' sweep knows of this connection ({@link #requestTimedOut}); null until its first look. */
    private RequestClock requestClock;
    /** websocket://: the hooks set on this connection itself, which go before its worker's; null while none is. */
    private WebSocketHooks ownHooks;
    /** onBufferFull fired and onBufferDrain did not yet. */
    private boolean bufferFull;
    /**
     * The application closed it (close, destroy, a WebSocket close frame): as Workerman's CLOSING,
     * what the same read brought after is not dispatched, sends fail and it is no longer open.
     */
    private boolean closing;
    /** websocket://: a close frame went out (ours, or the answer to the client's): no second one follows. */
    private boolean closeSent;
    /** websocket://: onWebSocketPing runs, and a String or bytes sent answer it as a pong, as in Workerman. */
    private boolean answeringPing;
    /** pauseRecv was called, and resumeRecv not since. */
    private boolean paused;
    private Runnable resumed;
    /** An outgoing connection's: see {@link #whenClosed}. */
    private Predicate<Connection> closedHook = connection -> true;
    /** An outgoing connection's: see {@link #whenHandshakeFails}. */
    private Predicate<Throwable> handshakeFailedHook = cause -> false;
    /** Its handshake's failure was told (once: a timeout is followed by a close, and maybe by Netty's own exception). */
    private boolean handshakeFailureTold;
    /** Where an outgoing connection's handshake failures are logged, when nobody heard of them. */
    private FailureLog handshakeFailures;
    private final ConnectionProperties properties = new ConnectionProperties();

    NettyConnection(Channel channel, Worker worker, Codec codec, long id, WorkerRuntime runtime) {
        this(channel, worker, codec, id, runtime, null);
    }

    /** @param facade the AsyncTcpConnection this process opened this connection for, or null */
    NettyConnection(Channel channel, Worker worker, Codec codec, long id, WorkerRuntime runtime, AsyncTcpConnection facade) {
        this.facade = facade;
        this.outgoing = facade != null;
        this.channel = channel;
        this.worker = worker;
        this.codec = codec;
        this.id = id;
        this.runtime = runtime;
        this.acceptedNanos = outgoing || codec instanceof HttpCodec ? 0 : System.nanoTime();
        if (!outgoing) {
            this.onConnect = worker.getOnConnect();
            this.onMessage = worker.getOnMessage();
            this.onClose = worker.getOnClose();
            this.onBufferFull = worker.getOnBufferFull();
            this.onBufferDrain = worker.getOnBufferDrain();
            this.onError = worker.getOnError();
        }
        applyWaterMark();
        this.traffic = codec.traffic(runtime.flushBatch(), this); // last: the codec's handler may keep this connection
    }

    /** Netty turns unwritable past maxSendBufferSize queued bytes, and writable again once all went out. */
    private void applyWaterMark() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, maxSendBufferSize));
    }

    /**
     * A send on a connection that is closing or closed fails without onError and is not counted,
     * as Workerman's returns false: onError is for sends that were meant to go out (a full buffer,
     * a write that failed on a peer gone meanwhile).
     */
    @Override
    public SendStatus send(Object data) {
        return send(data, true);
    }

    /** @param bounded whether a full send buffer drops {@code message} (not for what was accepted before: {@link #sendAccepted}) */
    private SendStatus send(Object message, boolean bounded) {
        Object data = Codec.orEmpty(message);
        if (closing || closeSent || !channel.isActive()) {
            return SendStatus.FAILED;
        }
        if (bounded && !channel.isWritable()) {
            return dropped(data);
        }
        if (beforeOpen()) {
            return sendBeforeOpen(data);
        }
        if (answeringPing && (data instanceof String || data instanceof byte[])) {
            data = pong(Codec.bytesOf(data));
        }
        return write(codec.encode(data, channel.alloc(), this));
    }

    @Override
    public SendStatus sendRaw(byte[] data) {
        return sendRaw(data, true);
    }

    private SendStatus sendRaw(byte[] data, boolean bounded) {
        if (closing || !channel.isActive()) {
            return SendStatus.FAILED; // as send's
        }
        if (bounded && !channel.isWritable()) {
            return dropped(data);
        }
        ChannelHandlerContext httpEncoder = refusable() ? channel.pipeline().context(HttpResponseEncoder.class) : null;
        if (httpEncoder != null) { // bytes as they are before the 101, as in Workerman: past the handshake's encoder
            return status(httpEncoder.writeAndFlush(Codec.buffer(channel.alloc(), data)));
        }
        if (beforeOpen()) { // the 101 on its way: right behind it
            return keepUntilOpen(new EarlySends.Raw(data));
        }
        ByteBuf bytes = Codec.buffer(channel.alloc(), data);
        return write(codec instanceof HttpCodec ? new RawAnswer(bytes) : bytes); // an HTTP answer written raw, as Workerman's send($data, true)
    }

    /** See {@link Dialer#sendAccepted}: the send buffer's bound was already applied to {@code data}. */
    void sendAccepted(Object data, boolean raw) {
        if (raw) {
            sendRaw((byte[]) data, false);
        } else {
            send(data, false); // a send from a callback it sets off (onBufferFull) is bounded as any other
        }
    }

    /** websocket://, accepted, and not open yet (Netty's HandshakeComplete): what it reads waits ({@link ConnectionHandler}). */
    boolean beforeOpen() {
        return codec instanceof WebSocketCodec && !webSocketOpen;
    }

    /** websocket://, and its handshake not yet handed to Netty's handshaker: the client may still be refused. */
    private boolean refusable() {
        return beforeOpen() && !webSocketAnswered;
    }

    /**
     * websocket:// before its 101: a {@link Response} refuses the handshake with that answer and
     * closes; anything else waits to go out as frames right behind the 101. Once more than
     * maxSendBufferSize bytes wait, what is sent next is dropped, as Workerman drops it (and as a
     * send after the 101 is dropped while Netty's buffer is past it).
     */
    private SendStatus sendBeforeOpen(Object data) {
        return data instanceof Response refusal ? refuse(refusal) : keepUntilOpen(data);
    }

    private SendStatus keepUntilOpen(Object data) {
        if (earlySends == null) {
            earlySends = new EarlySends();
        } else if (earlySends.closes()) {
            return SendStatus.FAILED; // a WebSocketClose was sent before it: as a send after a close frame fails once open
        }
        if (!earlySends.add(data, maxSendBufferSize)) {
            return sendFailed("send buffer full and drop package");
        }
        if (earlySends.bytes() >= maxSendBufferSize) {
            bufferFilled(); // as Workerman's, once the bytes waiting for the 101 reach the bound (webSocketOpened tells the drain)
        }
        return SendStatus.QUEUED;
    }

    /** Answers the handshake with {@code refusal} instead of a 101, and closes. */
    private SendStatus refuse(Response refusal) {
        if (webSocketAnswered) {
            return sendFailed("the WebSocket handshake was answered with its 101 already; close() ends the connection with a close frame");
        }
        if (refusal.isStreaming() || refusal.file() != null) {
            return sendFailed("a WebSocket handshake is refused with a whole Response, not a stream or a file");
        }
        closing = true;
        earlySends = null;
        HttpResponse answer = (HttpResponse) HttpCodec.encodeResponse(refusal, channel.alloc());
        answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return status(channel.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE));
    }

    /**
     * A websocket:// handshake passed drover's checks: onWebSocketConnect runs before the 101 is
     * written, as in Workerman, so the application may still refuse it there: {@code close()}
     * closes without an answer, {@code close(response)} answers with that {@link Response}.
     * Returns whether the handshake goes on.
     */
    boolean handshakeArrived(FullHttpRequest handshake) {
        if (closing || !channel.isActive()) {
            return false; // closed by the application already (from a timer, say): nothing more reaches its callbacks
        }
        WebSocketConnectCallback callback = ownHooks != null && ownHooks.connect != null ? ownHooks.connect : worker.getOnWebSocketConnect();
        if (callback != null) {
            if ("0".equals(handshake.headers().get(HttpHeaderNames.CONTENT_LENGTH))) {
                handshake.headers().remove(HttpHeaderNames.CONTENT_LENGTH); // the aggregator's, not the client's
            }
            Request request = new Request("GET", Utf8Text.of(handshake.uri()), new HeaderMap(handshake.headers()), new byte[0]);
            runtime.call("onWebSocketConnect", () -> callback.call(this, request));
            if (request.sessionCookie() != null && !closing && channel.isActive()) {
                addWebSocketHeader("Set-Cookie", request.sessionCookie()); // request.session() started one: the 101 hands it out
            }
        }
        webSocketAnswered = !closing && channel.isActive();
        return webSocketAnswered;
    }

    /** What onWebSocketConnect added to the 101, or null; asked once the handshake goes on. */
    HttpHeaders handshakeHeaders() {
        return handshakeHeaders;
    }

    @Override
    public Connection addWebSocketHeader(String name, String value) {
        if (!refusable()) {
            throw new IllegalStateException(codec instanceof WebSocketCodec
                    ? "connection " + id + ": its 101 was written already; add headers for it in onWebSocketConnect"
                    : "connection " + id + " is " + codec.name() + ", not websocket: only a WebSocket's 101 takes headers");
        }
        if (HANDSHAKE_OWN.contains(AsciiString.of(name).toLowerCase())) {
            throw new IllegalArgumentException(name + " is the WebSocket handshake's own header; the 101 takes others (and Sec-WebSocket-Protocol)");
        }
        if (handshakeHeaders == null) {
            handshakeHeaders = new DefaultHttpHeaders(); // validating: a name or value that cannot be sent throws here, in the caller
        }
        handshakeHeaders.add(name, value);
        return this;
    }

    private SendStatus write(Object message) {
        HttpResponse head = message instanceof FileBody body ? body.head() : message instanceof HttpResponse r ? r
                : message instanceof HttpCodec.StreamStart start ? start.head() : null;
        boolean last = draining || closing; // a stopping worker's answer, or close(answer)'s: it says the connection closes
        if (head != null && last) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (message instanceof HttpCodec.StreamStart start) {
            channel.write(start.head());
            message = start.first();
        }
        if (message instanceof PlainAnswer answer && last) {
            answer.close();
        }
        // A whole response (FullHttpResponse is a LastHttpContent), a file, or the last chunk ends the answer owed.
        boolean ends = message instanceof FileBody || message instanceof LastHttpContent && !(head != null && informational(head))
                || message instanceof PlainAnswer || message instanceof RawAnswer;
        ChannelFuture written = message instanceof FileBody body ? body.writeTo(channel, answering) : channel.writeAndFlush(message);
        if (message instanceof CloseWebSocketFrame) {
            closing = true;
            closeSent = true;
            written.addListener(ChannelFutureListener.CLOSE);
        }
        boolean refused = written.isDone() && !written.isSuccess(); // an answer while one still streams, a chunk before its head
        if (ends && !refused) {
            answerEnded();
            if (draining) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
        return status(written);
    }

    /** What a send whose write was issued returns: failed if it was refused on the way. */
    private SendStatus status(ChannelFuture written) {
        if (written.isDone() && !written.isSuccess()) {
            Throwable cause = written.cause();
            return sendFailed(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()); // ClosedChannelException has none
        }
        return written.isDone() ? SendStatus.WRITTEN : SendStatus.QUEUED;
    }

    /**
     * A send past maxSendBufferSize is dropped, as in Workerman. On HTTP, an answer owed that is
     * dropped (a whole one, a stream's head or its end) leaves its client waiting for it for ever,
     * and the requests behind it: the connection closes once what was queued before went out, or
     * once its client took none of it for the worker's request timeout (60 s by default), as
     * nginx's send_timeout ends one (a chunk or an event of a stream dropped leaves the stream to go on).
     */
    private SendStatus dropped(Object data) {
        SendStatus failed = sendFailed("send buffer full and drop package");
        if (codec instanceof HttpCodec && awaitingResponse && !(data instanceof ServerSentEvent)
                && !(data instanceof Chunk chunk && !chunk.isLast())) {
            close();
            closeIfStuck(-1);
        }
        return failed;
    }

    /** Closes the channel when its queued output is still {@code pending} bytes a request timeout later; else looks again then. */
    private void closeIfStuck(long pending) {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        long now = outbound == null ? 0 : outbound.totalPendingWriteBytes();
        Duration timeout = worker.getRequestTimeout().isZero() ? Duration.ofSeconds(60) : worker.getRequestTimeout();
        if (now == pending) {
            channel.close(); // its client took nothing in a whole timeout
        } else if (channel.isActive()) {
            channel.eventLoop().schedule(() -> closeIfStuck(now), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private SendStatus sendFailed(String why) {
        return runtime.sendFailed(facade(), errorCallback(), why);
    }

    @Override
    public void close() {
        if (beforeOpen() && webSocketAnswered && !closing) { // the 101 on its way: a close frame follows it (webSocketOpened)
            closing = true;
            closeOnOpen = NORMAL_CLOSURE;
            return;
        }
        closing = true;
        if (channel.isActive()) {
            boolean closeFrame = codec instanceof WebSocketCodec && webSocketOpen && !closeSent;
            closeSent |= closeFrame;
            Object last = closeFrame ? new CloseWebSocketFrame(closeOnOpen != null ? closeOnOpen : NORMAL_CLOSURE) : Unpooled.EMPTY_BUFFER;
            channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Sends {@code data}, then closes. On a websocket:// connection before its 101, a Response
     * refuses the handshake with that answer; other data is dropped with the handshake, as in
     * Workerman. Once the 101 is on its way, data and a close frame follow it.
     */
    @Override
    public void close(Object data) {
        if (beforeOpen()) {
            if (!closing && channel.isActive() && data != null && (data instanceof Response ? refusable() : webSocketAnswered)) {
                sendBeforeOpen(data);
            }
            close();
            return;
        }
        if (data != null && !closing && channel.isActive()) {
            closing = true; // an HTTP answer says Connection: close (RFC 9112 9.6)
            write(codec.encode(data, channel.alloc(), this));
        }
        close();
    }

    @Override
    public void destroy() {
        closing = true;
        channel.close();
    }

    @Override
    public void pauseRecv() {
        paused = true;
        readUnlessHolding();
    }

    /** Reads again; what was read while paused is dispatched first, on the event loop after the caller returns. */
    @Override
    public void resumeRecv() {
        if (paused) {
            paused = false;
            readUnlessHolding();
            if (resumed != null) {
                channel.eventLoop().execute(resumed);
            }
        }
    }

    /** Whether the application paused receiving: what is read meanwhile waits ({@link ConnectionHandler}). */
    boolean paused() {
        return paused;
    }

    /** What runs after a resume: the handler's dispatch of what it held. */
    void whenResumed(Runnable dispatchHeld) {
        resumed = dispatchHeld;
    }

    @Override
    public boolean isOpen() {
        return !closing && channel.isActive();
    }

    @Override
    public Connection put(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    @Override
    public <T> T get(String name) {
        return properties.get(name);
    }

    /** Its input was refused (a 400): it closes, and what it read after is not dispatched, as after the application's close. */
    void refusedInput() {
        closing = true;
    }

    /** Whether the application closed it: nothing more it reads reaches the callbacks. */
    boolean closing() {
        return closing;
    }

    /** Whether {@link WebSocketCodec} writes this connection's frames itself (see {@link #webSocketOpened}). */
    boolean plainFrames() {
        return plainFrames;
    }

    boolean isOutgoing() {
        return outgoing;
    }

    /** An HTTP request arrived; its response is owed. */
    void requestArrived(Request request) {
        awaitingResponse = true;
        answering = request;
        messageArrived();
    }

    /** Whether the request timeouts bound it: an accepted http:// connection, or a websocket:// one until its handshake is answered. */
    boolean requestTimed() {
        return !outgoing && !closing && (codec instanceof HttpCodec || codec instanceof WebSocketCodec && !webSocketAnswered);
    }

    /**
     * The request timeouts' sweep ({@link RequestTimeouts}): closes the connection, without an
     * answer (as nginx closes it), when its client took longer than its worker's timeouts allow
     * ({@link RequestClock#expired}); a WebSocket handshake must be whole within the request
     * timeout of the connection's start.
     */
    void requestTimedOut(long now) {
        long request = worker.getRequestTimeout().toNanos();
        if (requestClock == null) {
            requestClock = new RequestClock(now, traffic.bytesRead(), messagesSeen);
        }
        boolean expired;
        if (codec instanceof WebSocketCodec) {
            expired = request > 0 && now - requestClock.since() > request;
        } else {
            boolean body = traffic instanceof HttpServerSide side && side.readingBody();
            long idle = messagesSeen == 0 ? request : worker.getKeepAliveTimeout().toNanos();
            expired = requestClock.expired(now, traffic.bytesRead(), messagesSeen, awaitingResponse || paused, traffic.held(), body,
                    request, idle);
        }
        if (expired) {
            channel.close();
        }
    }

    /** HTTP: whether a request's answer is owed: one pipelined behind it waits (RFC 9112 9.3.2: answers go in order). */
    boolean answerOwed() {
        return awaitingResponse;
    }

    /**
     * HTTP: the handler holds a pipelined request until the answer owed ends; reading stops
     * meanwhile, as nginx's does, so that a client that sends and never reads holds no more than
     * that request.
     */
    void waitForAnswer() {
        pipelinedWaiting = true;
        readUnlessHolding();
    }

    /** Reads unless the application paused receiving or a request waits for the answer before it. */
    private void readUnlessHolding() {
        boolean hold = paused || pipelinedWaiting;
        traffic.hold(hold); // first: turning auto-read on reads through it
        channel.config().setAutoRead(!hold);
    }

    /** HTTP: the answer owed ended: the next pipelined request, if one waits, is dispatched once the caller returns. */
    private void answerEnded() {
        awaitingResponse = false;
        answering = null; // an idle keep-alive connection keeps no request
        if (pipelinedWaiting) {
            pipelinedWaiting = false;
            readUnlessHolding();
            channel.eventLoop().execute(resumed);
        }
    }

    /** A 1xx answer (103 Early Hints): the final one still follows. */
    private static boolean informational(HttpResponse head) {
        return head.status().code() < 200;
    }

    /** The Set-Cookie the answer owed needs for the session its request started, or null. */
    String sessionCookie() {
        return answering != null ? answering.sessionCookie() : null;
    }

    /** A message of another protocol arrived (or an HTTP request, {@link #requestArrived}). */
    void messageArrived() {
        messagesSeen++;
    }

    /**
     * The end of a read: a connection of another protocol that a stop found without a message yet
     * ({@link #drain}) closes once its first message is answered.
     */
    void readComplete() {
        if (closeAfterRead && messagesSeen > 0) {
            close();
        }
    }

    /**
     * The worker stops: it lets this connection end without losing a request. HTTP: a response in
     * flight goes out with {@code Connection: close}; an idle connection (new, or keep-alive
     * between requests) gets {@link #FIRST_REQUEST_GRACE} for its next request, answered with
     * {@code Connection: close}, and is closed when none comes. WebSocket: a close frame with 1001
     * (going away), so clients reconnect to a live worker; the connection closes on the client's
     * close frame; when no worker comes after this one ({@code last}: the application's graceful
     * stop), an open one is left to its client, as other protocols are. Other protocols close now,
     * unless {@code graceful} leaves them to their clients; one accepted in the last few seconds that has sent nothing yet (its first message perhaps on
     * its way) is closed once that message is answered, or after {@link #FIRST_REQUEST_GRACE}
     * without one. Older silent ones (a subscriber that only listens) close now.
     */
    void drain(boolean graceful, boolean last) {
        if (codec instanceof WebSocketCodec && graceful && last && webSocketOpen) {
            return; // stop -g: nobody else will take it; its client closes when it is done, as Workerman's stop -g waits
        }
        if (codec instanceof WebSocketCodec) {
            draining = true;
            if (webSocketOpen) {
                goAway();
            } else {
                // Accepted, the handshake still to come: 1001 follows it (webSocketOpened); a client
                // that never sends one is closed after the grace period, as an idle HTTP client is.
                channel.eventLoop().schedule(() -> {
                    if (webSocketAnswered && !webSocketOpen) {
                        channel.close(); // its 101 still queued behind what a slow client does not read: as goAway's close after its wait
                    } else if (!webSocketOpen) {
                        close();
                    }
                }, FIRST_REQUEST_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        if (!(codec instanceof HttpCodec)) {
            if (graceful) {
                return;
            }
            if (messagesSeen > 0 || outgoing || System.nanoTime() - acceptedNanos > RECENT_ACCEPT_NANOS) {
                close();
            } else {
                closeAfterRead = true;
                channel.eventLoop().schedule(() -> close(), FIRST_REQUEST_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        draining = true;
        if (awaitingResponse) {
            return;
        }
        int seen = messagesSeen;
        channel.eventLoop().schedule(() -> {
            if (!awaitingResponse && messagesSeen == seen) {
                close();
            }
        }, FIRST_REQUEST_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The WebSocket handshake completed: what the application sent before it goes out, and on a
     * draining worker the client is told to go away at once.
     * {@code extensions}: whether an extension's encoder now sits in the pipeline.
     */
    void webSocketOpened(boolean extensions) {
        webSocketOpen = true;
        plainFrames = !extensions;
        WebSocketCodec.ControlFrames controls = channel.pipeline().get(WebSocketCodec.ControlFrames.class);
        if (controls != null && !controls.hooked()) {
            channel.pipeline().remove(controls); // it held the pings that came with the handshake; the protocol handler answers the rest (WebSocketCodec.takenBeforeNetty)
        }
        EarlySends early = earlySends;
        earlySends = null;
        if (early != null) { // all of it, as Workerman writes it: the bound was checked as each was sent
            early.forEach(data -> write(data instanceof EarlySends.Raw raw ? Codec.buffer(channel.alloc(), raw.bytes())
                    : codec.encode(data, channel.alloc(), this)));
            if (bufferFull && channel.isWritable()) {
                // Filled before the 101 and yet not past Netty's mark (raw bytes exactly at the bound; frames' headers take
                // anything else past it): no writability change will tell the drain.
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
                    if (channel.isWritable()) {
                        bufferDrained();
                    }
                });
            }
        }
        if (closeOnOpen != null) {
            close();
        }
        if (draining) {
            goAway();
        }
    }

    /**
     * Close frame 1001: the client's close frame ends the connection ({@link #closeFrameArrived}), or
     * {@link WebSocketCodec#CLOSE_HANDSHAKE_MILLIS} without one. Closing at once would reset a client
     * whose message is on its way, and lose the close frame.
     */
    private void goAway() {
        if (channel.isActive() && !closeSent) {
            closeSent = true;
            channel.writeAndFlush(new CloseWebSocketFrame(1001, "going away"));
            channel.eventLoop().schedule(() -> { channel.close(); }, WebSocketCodec.CLOSE_HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The client's close frame (RFC 6455 5.5.1): the answer to ours ends the connection; one of its
     * own is answered with its status code (none when it gave none), once, and the connection closes.
     * The worker's onWebSocketClose sees the client's own first, and may send and close itself; a
     * ws:// AsyncTcpConnection's sees the server's, whose close frame it answers the same way.
     */
    void closeFrameArrived(CloseWebSocketFrame frame) {
        WebSocketCloseCallback callback = facade != null ? facade.getOnWebSocketClose()
                : ownHooks != null && ownHooks.close != null ? ownHooks.close : worker.getOnWebSocketClose();
        if (callback != null && !closeSent && !closing && channel.isActive() && frame.statusCode() < 5000) { // 5000 up is no code (below)
            int code = frame.statusCode() < 0 ? 1005 : frame.statusCode();
            String reason = frame.reasonText();
            runtime.call("onWebSocketClose", () -> callback.call(facade(), code, reason));
            if (closing) {
                return; // the application closed: its close frame's write closes the connection, once what it sent went out
            }
        }
        closing = true;
        if (closeSent || !channel.isActive()) {
            channel.close();
            return;
        }
        closeSent = true;
        int code = frame.statusCode();
        CloseWebSocketFrame answer = code < 0 ? new CloseWebSocketFrame() : code < 5000 ? new CloseWebSocketFrame(code, "")
                : new CloseWebSocketFrame(1002, "close code " + code + " is not defined"); // 5000 up: none (RFC 6455 7.4.2)
        channel.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * A websocket:// client broke the protocol (an unmasked frame, a close frame with a code no
     * endpoint may send or a reason that is not UTF-8, text that is not UTF-8, ...): a close frame
     * with {@code status} (1002, 1007, 1009) and why, as RFC 6455 7.1.7 asks, then the connection
     * closes; after a close frame of ours, it just closes. The decoder drops what follows. A frame
     * that came with the handshake gets its close frame after the 101 (and what onWebSocketConnect sent).
     */
    void protocolViolated(WebSocketCloseStatus status, String why) {
        String reason = why != null && why.getBytes(StandardCharsets.UTF_8).length <= 123 ? why : status.reasonText(); // 125 with the code
        closing = true;
        if (beforeOpen() && webSocketAnswered) {
            closeOnOpen = new WebSocketCloseStatus(status.code(), reason);
            return;
        }
        if (closeSent || !channel.isActive()) {
            channel.close();
            return;
        }
        closeSent = true;
        channel.writeAndFlush(new CloseWebSocketFrame(status.code(), reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /** What send in onWebSocketPing answers with, as Workerman's. */
    private static WebSocketPong pong(byte[] payload) {
        if (payload.length > WebSocketPing.MAX_PAYLOAD) {
            throw new IllegalArgumentException("in onWebSocketPing, send answers the ping with a pong, which carries at most "
                    + WebSocketPing.MAX_PAYLOAD + " bytes (RFC 6455 5.5), not " + payload.length + ": send a message once the hook returned");
        }
        return new WebSocketPong(payload);
    }

    /** A ping or pong for the worker's onWebSocketPing or onWebSocketPong ({@link WebSocketCodec.ControlFrames}). */
    void controlArrived(WebSocketCodec.Control control) {
        WebSocketControlCallback callback = control.ping() ? pingCallback() : pongCallback();
        if (callback == null) { // a ping that came with the handshake, or a hook the application took away
            if (control.ping()) {
                send(new WebSocketPong(control.payload()));
            }
            return;
        }
        if (!control.ping()) {
            runtime.call("onWebSocketPong", () -> callback.call(facade(), control.payload()));
            return;
        }
        answeringPing = true;
        try {
            runtime.call("onWebSocketPing", () -> callback.call(facade(), control.payload()));
        } finally {
            answeringPing = false;
        }
    }

    /**
     * The worker ends with 250 (an exception escaped a callback), as Workerman's stopAll closes each
     * connection: what was sent goes to the socket as it closes, and onClose runs now, before the
     * process halts. Its exception, if it throws, joins {@code error}'s trace.
     */
    void endWithWorker(Throwable error) {
        closing = true;
        channel.close(); // after the sends that wait for the read's end (Flushes)
        ConnectionCallback callback = closeCallback();
        if (callback != null) {
            try {
                callback.call(facade());
            } catch (Throwable alsoFailed) {
                error.addSuppressed(alsoFailed);
            }
        }
    }

    @Override
    public boolean bufferIsFull() {
        return bufferFull || !channel.isWritable();
    }

    /** The send buffer is full: onBufferFull, unless it was already. */
    void bufferFilled() {
        if (!bufferFull) {
            bufferFull = true;
            ConnectionCallback callback = bufferFullCallback();
            if (callback != null) {
                runtime.call("onBufferFull", () -> callback.call(facade()));
            }
        }
    }

    /** The send buffer drained: onBufferDrain, if it was full. */
    void bufferDrained() {
        if (bufferFull) {
            bufferFull = false;
            ConnectionCallback callback = bufferDrainCallback();
            if (callback != null) {
                runtime.call("onBufferDrain", () -> callback.call(facade()));
            }
        }
    }

    // ---- callbacks, as the handler calls them ----

    ConnectionCallback connectCallback() {
        return facade != null ? facade.getOnConnect(this) : onConnect;
    }

    /** What callbacks receive as their connection: the AsyncTcpConnection for an outgoing one. */
    Connection facade() {
        return facade != null ? facade : this;
    }

    /** An outgoing connection's own onConnect (accepted ones use their Worker's). */
    void onConnect(ConnectionCallback callback) {
        onConnect = callback;
    }

    ErrorCallback errorCallback() {
        return facade != null ? facade.getOnError() : onError;
    }

    MessageCallback messageCallback() {
        return facade != null ? facade.getOnMessage() : onMessage;
    }

    /** An outgoing connection asks its AsyncTcpConnection whether the application's onClose runs: not when it was replaced. */
    void whenClosed(Predicate<Connection> current) {
        closedHook = current;
    }

    /** An outgoing connection tells its AsyncTcpConnection of a failed TLS or WebSocket handshake; true when that is dealt with (Dialer#dial). */
    void whenHandshakeFails(Predicate<Throwable> hook, FailureLog failures) {
        handshakeFailedHook = hook;
        handshakeFailures = failures;
    }

    /** A TLS or WebSocket handshake this outgoing connection began failed: a connect failure, logged unless onError heard of it. */
    void handshakeFailed(Throwable cause) {
        if (handshakeFailureTold) {
            return; // what follows it (its close, a response cut short by it) is the same failure
        }
        handshakeFailureTold = true;
        if (!handshakeFailedHook.test(cause)) {
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            String what = !Tls.failed(cause) ? "its WebSocket handshake failed" : tls != null && tls.handshakeFuture().isSuccess()
                    ? "TLS failed" : "its TLS handshake failed";
            handshakeFailures.log(facade + ": " + what + ": " + Dialer.reason(cause) + "; the connection is closed");
        }
    }

    ConnectionCallback closeCallback() {
        if (facade == null) {
            return onClose;
        }
        ConnectionCallback application = facade.getOnClose();
        return connection -> {
            if (closedHook.test(this) && application != null) {
                application.call(connection);
            }
        };
    }

    /** onWebSocketPing: the AsyncTcpConnection's for an outgoing ws:// one; for an accepted one, its own, or else its Worker's. */
    WebSocketControlCallback pingCallback() {
        return facade != null ? facade.getOnWebSocketPing()
                : ownHooks != null && ownHooks.ping != null ? ownHooks.ping : worker.getOnWebSocketPing();
    }

    WebSocketControlCallback pongCallback() {
        return facade != null ? facade.getOnWebSocketPong()
                : ownHooks != null && ownHooks.pong != null ? ownHooks.pong : worker.getOnWebSocketPong();
    }

    @Override
    public Connection onWebSocketConnect(WebSocketConnectCallback callback) {
        WebSocketHooks hooks = ownHooks("onWebSocketConnect");
        if (webSocketAnswered || webSocketOpen) {
            throw new IllegalStateException("connection " + id + ": its handshake was answered already; set onWebSocketConnect in onConnect");
        }
        hooks.connect = callback;
        return this;
    }

    @Override
    public Connection onWebSocketPing(WebSocketControlCallback callback) {
        ownHooks("onWebSocketPing").ping = callback;
        routeControlFrames();
        return this;
    }

    @Override
    public Connection onWebSocketPong(WebSocketControlCallback callback) {
        ownHooks("onWebSocketPong").pong = callback;
        routeControlFrames();
        return this;
    }

    @Override
    public Connection onWebSocketClose(WebSocketCloseCallback callback) {
        ownHooks("onWebSocketClose").close = callback;
        return this;
    }

    private WebSocketHooks ownHooks(String hook) {
        if (!(codec instanceof WebSocketCodec)) {
            throw new IllegalStateException("connection " + id + " is " + codec.name() + ", not websocket: " + hook + " is a WebSocket connection's");
        }
        if (ownHooks == null) {
            ownHooks = new WebSocketHooks();
        }
        return ownHooks;
    }

    /**
     * A ping or pong hook set once the connection is open (or a ws:// client's, once it connected):
     * the handler that takes those frames past Netty's protocol handler left the pipeline at the
     * open when no hook wanted them (a client's was never added), so it goes in, before that handler.
     */
    void routeControlFrames() {
        if (pingCallback() == null && pongCallback() == null) {
            return;
        }
        Runnable route = () -> {
            ChannelPipeline pipeline = channel.pipeline();
            ChannelHandlerContext protocol = pipeline.context(WebSocketServerProtocolHandler.class);
            if (protocol == null) {
                protocol = pipeline.context(WebSocketClientProtocolHandler.class);
            }
            if (protocol != null && pipeline.get(WebSocketCodec.ControlFrames.class) == null) {
                pipeline.addBefore(protocol.name(), null, WebSocketCodec.ControlFrames.of(this));
            }
        };
        runtime.onLoop(route); // from a callback, at once: a ping or pong later in the same read already meets it
    }

    private ConnectionCallback bufferFullCallback() {
        return facade != null ? facade.bufferFullHook() : onBufferFull;
    }

    private ConnectionCallback bufferDrainCallback() {
        return facade != null ? facade.bufferDrainHook() : onBufferDrain;
    }

    Codec codec() {
        return codec;
    }

    @Override
    public Connection onMessage(MessageCallback callback) {
        onMessage = callback;
        return this;
    }

    @Override
    public Connection onClose(ConnectionCallback callback) {
        onClose = callback;
        return this;
    }

    @Override
    public Connection onBufferFull(ConnectionCallback callback) {
        onBufferFull = callback;
        return this;
    }

    @Override
    public Connection onBufferDrain(ConnectionCallback callback) {
        onBufferDrain = callback;
        return this;
    }

    @Override
    public Connection onError(ErrorCallback callback) {
        onError = callback;
        return this;
    }

    // ---- properties ----

    @Override
    public long getId() {
        return id;
    }

    @Override
    public String getRemoteIp() {
        return ip(channel.remoteAddress());
    }

    @Override
    public int getRemotePort() {
        return port(channel.remoteAddress());
    }

    @Override
    public String getLocalIp() {
        return ip(channel.localAddress());
    }

    @Override
    public int getLocalPort() {
        return port(channel.localAddress());
    }

    private static String ip(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? IpText.of(inet.getAddress()) : "";
    }

    private static int port(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getPort() : 0;
    }

    @Override
    public Worker getWorker() {
        return worker;
    }

    @Override
    public Optional<X509Certificate> getPeerCertificate() {
        return Tls.peerCertificate(channel.pipeline());
    }

    @Override
    public String getProtocol() {
        return codec.name();
    }

    @Override
    public int getMaxSendBufferSize() {
        return maxSendBufferSize;
    }

    @Override
    public Connection setMaxSendBufferSize(int bytes) {
        maxSendBufferSize = ConnectionDefaults.positive(bytes, "maxSendBufferSize");
        applyWaterMark();
        return this;
    }

    @Override
    public int getMaxPackageSize() {
        return maxPackageSize;
    }

    @Override
    public Connection setMaxPackageSize(int bytes) {
        maxPackageSize = ConnectionDefaults.positive(bytes, "maxPackageSize");
        return this;
    }

    /** The handler at the head of this connection's pipeline (after TLS), made by its codec. */
    Traffic traffic() {
        return traffic;
    }

    /**
     * One row of {@code connections}: id, transport ({@code tcp}, {@code ssl} or {@code unix}, as
     * Workerman's), protocol, local, remote, recv-q, send-q, bytes read, written, state.
     */
    String row() {
        String transport = channel instanceof DomainSocketChannel ? "unix" : Tls.on(channel.pipeline()) ? "ssl" : "tcp";
        return String.join("\t", Long.toString(id), transport, codec.name(), address(channel.localAddress()), address(channel.remoteAddress()),
                Long.toString(getRecvBufferQueueSize()), Long.toString(getSendBufferQueueSize()), Long.toString(traffic.bytesRead()),
                Long.toString(traffic.bytesWritten()), channel.isActive() ? (draining || closing ? "CLOSING" : "ESTABLISHED") : "CLOSED");
    }

    /** Netty's outbound buffer, and before a WebSocket's 101 what waits for it. */
    @Override
    public long getSendBufferQueueSize() {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        return (outbound == null ? 0 : outbound.totalPendingWriteBytes()) + (earlySends == null ? 0 : earlySends.bytes());
    }

    /** Bytes read that make no whole request or package yet, as Workerman's Recv-Q counts its receive buffer. */
    @Override
    public long getRecvBufferQueueSize() {
        ProtocolDecoder decoder = codec instanceof ProtocolCodec ? channel.pipeline().get(ProtocolDecoder.class) : null;
        return traffic.held() + (decoder == null ? 0 : decoder.held());
    }

    @Override
    public long getBytesRead() {
        return traffic.bytesRead();
    }

    @Override
    public long getBytesWritten() {
        return traffic.bytesWritten();
    }

    /** An address as {@code connections} shows it; a Unix socket's path with its tabs and line ends as {@code ?}, which end fields and rows there. */
    private static String address(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            return address == null ? "-" : address.toString().replaceAll("[\t\r\n]", "?");
        }
        return IpText.withPort(inet);
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + channel.remoteAddress();
    }
}
