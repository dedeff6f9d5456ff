package dev.drover;

import dev.drover.internal.ConnectionDefaults;
import dev.drover.internal.ConnectionProperties;
import dev.drover.internal.Dialer;
import dev.drover.internal.FailureLog;
import dev.drover.internal.WorkerRuntime;
import dev.drover.master.IpText;
import io.netty.buffer.ByteBufUtil;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;


/**
 * A connection this worker opens, Workerman's {@code AsyncTcpConnection}: {@code tcp://},
 * {@code text://}, {@code frame://}, a registered protocol, {@code ws://} or {@code wss://}, on the
 * worker's event loop, with the same callbacks as an accepted connection. Data sent before it is
 * connected (for {@code ws://}: before its handshake is done) is sent once it is, up to
 * maxSendBufferSize: past it {@code send} fails and {@code onBufferFull} fires, as on an open
 * connection. A failed connect calls {@code onError(CONNECT_FAIL)} then {@code onClose}, so
 * {@code onClose = c -> c.reconnect(1)} keeps it connected. After {@code close()} or
 * {@code destroy()} (which also stop a connect under way, with {@code onClose}), or a close by the
 * other side, sends fail until {@code connect} or {@code reconnect}; what was queued is dropped.
 * {@code connect} while it is still closing opens a new connection at once, and the closing one's
 * {@code onClose} is not called.
 */
public final class AsyncTcpConnection implements Connection {
    /** Workerman's statuses: from CLOSING and CLOSED only connect or reconnect lead on. */
    private enum State { INITIAL, CONNECTING, ESTABLISHED, CLOSING, CLOSED }

    private final URI uri;
    private boolean ssl;
    private boolean verifyPeer = true;
    private State state = State.INITIAL;
    /** The connection of the latest connect, from the moment its channel exists (CONNECTING) until the next connect. */
    private Connection live;
    /** Counts connects: the failure of one that a later connect, close or destroy replaced is not reported. */
    private int attempt;
    /** Its id, given by its first connect and kept by every reconnect (0 before). */
    private long id;
    /** What was sent before the connection was up, and its size, at most maxSendBufferSize. */
    private final List<Object> pending = new ArrayList<>();
    private long pendingBytes;
    /** The queue reached maxSendBufferSize (onBufferFull fired): its flush fires onBufferDrain, so that a pipe() resumes. */
    private boolean pendingFull;
    /**
     * onBufferFull was called and onBufferDrain not since, whether for the queue or the connection's
     * own buffer: the two alternate, once each, also when the flushed queue fills the connection.
     */
    private boolean fullTold;
    private int maxSendBufferSize = ConnectionDefaults.maxSendBufferSize();
    private int maxPackageSize = ConnectionDefaults.maxPackageSize();
    private ConnectionCallback onConnect;
    private MessageCallback onMessage;
    private ConnectionCallback onClose;
    private ConnectionCallback onBufferFull;
    private ConnectionCallback onBufferDrain;
    private ErrorCallback onError;
    private WebSocketControlCallback onWebSocketPing;
    private WebSocketControlCallback onWebSocketPong;
    private WebSocketCloseCallback onWebSocketClose;
    private long reconnectTimer;
    /** What the application keeps on it (put, get): a reconnect keeps it. */
    private final ConnectionProperties properties = new ConnectionProperties();
    /** pauseRecv() was called (resumeRecv() not since): a connection made meanwhile starts paused. */
    private boolean paused;
    /** Its connect failures, logged when there is no onError. */
    private final FailureLog failures = new FailureLog();

    /** A connection to {@code address}, e.g. {@code text://127.0.0.1:5678} or {@code ws://127.0.0.1:8080/chat}. */
    public AsyncTcpConnection(String address) {
        URI parsed = URI.create(address);
        if (parsed.getScheme() == null || parsed.getHost() == null) {
            throw new IllegalArgumentException("remote address '" + address + "' needs a protocol and a host, e.g. text://127.0.0.1:5678");
        }
        if (parsed.getPort() == 0 || parsed.getPort() > 65535 || parsed.getPort() < 0 && !webSocket(parsed)) {
            throw new IllegalArgumentException("remote address '" + address + "' needs a port from 1 to 65535, e.g. "
                    + parsed.getScheme() + "://" + parsed.getHost() + ":5678");
        }
        this.uri = parsed;
    }

    /** {@code "ssl"} for TLS (as Workerman's {@code transport = 'ssl'}), {@code "tcp"} for none. */
    public AsyncTcpConnection setTransport(String transport) {
        if (!transport.equals("ssl") && !transport.equals("tcp")) {
            throw new IllegalArgumentException("transport must be tcp or ssl, was " + transport);
        }
        this.ssl = transport.equals("ssl");
        return this;
    }

    /** Whether TLS checks the server's certificate (default true; false for self-signed test servers). */
    public AsyncTcpConnection setVerifyPeer(boolean verify) {
        this.verifyPeer = verify;
        return this;
    }

    /**
     * Opens the connection; callbacks follow on the event loop. Ignored while it connects or is
     * connected; while it closes, the closing connection is left to close without its onClose.
     */
    public void connect() {
        if (state == State.CONNECTING || state == State.ESTABLISHED) {
            return;
        }
        if (state == State.CLOSING) {
            live = null; // its close is no longer this connection's: see the closed hook below
        }
        state = State.CONNECTING;
        int thisAttempt = ++attempt;
        try {
            id = dial(thisAttempt);
        } catch (RuntimeException e) { // a protocol or a port it cannot connect with: nothing was started
            state = State.INITIAL;
            attempt++;
            throw e;
        }
    }

    private long dial(int thisAttempt) {
        return Dialer.dial(this, id, uri, ssl, verifyPeer, failures, connection -> {
            if (thisAttempt != attempt) {
                connection.destroy(); // closed or replaced before its channel existed: it never connects
                return;
            }
            live = connection;
            connection.setMaxSendBufferSize(maxSendBufferSize).setMaxPackageSize(maxPackageSize);
            if (paused && !webSocket()) { // a ws:// one reads its handshake's answer first: paused once connected (getOnConnect)
                connection.pauseRecv(); // as Workerman's, a pauseRecv() before the connect holds what the server sends first
            }
        }, cause -> {
            if (thisAttempt == attempt && state == State.CONNECTING) {
                connectFailed(cause);
                return onError != null;
            }
            // a connect this one's close or reconnect replaced: nothing to tell; a TLS handshake that failed after
            // onConnect (transport ssl, as Workerman's) is logged, as Workerman prints it
            return thisAttempt != attempt;
        }, closed -> {
            boolean current = closed == live && state != State.CLOSED;
            if (current) {
                state = State.CLOSED; // what a failed handshake left queued stays for a reconnect
            }
            return current;
        });
    }

    private void connectFailed(Throwable cause) {
        live = null;
        state = State.CLOSED; // what was queued stays for a reconnect, within maxSendBufferSize
        String message = Dialer.connectFailed(uri, cause);
        WorkerRuntime runtime = WorkerRuntime.current();
        if (onError != null) {
            runtime.callApplication("onError", () -> onError.call(this, CONNECT_FAIL, message));
        }
        if (onClose != null) {
            runtime.callApplication("onClose", () -> onClose.call(this));
        }
    }

    /**
     * Closes the current connection, if any, without its {@code onClose}, and connects again after
     * {@code seconds}; what is sent meanwhile is queued for the new connection.
     */
    public void reconnect(double seconds) {
        WorkerRuntime runtime = WorkerRuntime.current();
        if (runtime.isStopping()) {
            return; // the worker stops: a reconnect from onClose would keep it from ever finishing
        }
        Connection replaced = live;
        live = null;
        attempt++;
        state = State.INITIAL;
        if (replaced != null) { // connected, or still connecting: either way it is done with
            replaced.destroy();
        }
        cancelReconnect();
        reconnectTimer = seconds > 0 ? Timer.once(seconds, () -> {
            reconnectTimer = 0;
            if (!runtime.isStopping()) {
                connect();
            }
        }) : 0;
        if (seconds <= 0) {
            connect();
        }
    }

    /** Sends what was queued before the connection was up (called on connect). */
    private void flushPending() {
        List<Object> queued = List.copyOf(pending);
        dropPending();
        for (Object data : queued) { // accepted within maxSendBufferSize: written whatever Netty counts for each write
            Dialer.sendAccepted(live, data instanceof Raw raw ? raw.bytes() : data, data instanceof Raw);
        }
        if (!live.bufferIsFull() && markDrained() && onBufferDrain != null) { // else the connection's own drain comes when it drained
            WorkerRuntime.current().callApplication("onBufferDrain", () -> onBufferDrain.call(this));
        }
    }

    private void dropPending() {
        pending.clear();
        pendingBytes = 0;
        pendingFull = false;
    }

    /** Bytes sent raw before the connection was up. */
    private record Raw(byte[] bytes) {}

    /** Queues {@code data} until the connection is up, within maxSendBufferSize, as an open connection's buffer fills. */
    private SendStatus queue(Object data, long bytes) {
        if (state == State.CLOSED || state == State.CLOSING) {
            return SendStatus.FAILED; // as a closed connection's send: no onError (see NettyConnection#send)
        }
        if (pendingBytes >= maxSendBufferSize) {
            return sendFailed("send buffer full and drop package");
        }
        pending.add(data);
        pendingBytes += bytes;
        if (pendingBytes >= maxSendBufferSize && !pendingFull) {
            pendingFull = true;
            if (markFull() && onBufferFull != null) {
                WorkerRuntime.current().callApplication("onBufferFull", () -> onBufferFull.call(this));
            }
        }
        return SendStatus.QUEUED;
    }

    private SendStatus sendFailed(String why) {
        return WorkerRuntime.current().sendFailed(this, onError, why);
    }

    // ---- Connection ----

    @Override
    public SendStatus send(Object data) {
        if (state != State.ESTABLISHED) {
            if (data == null) {
                throw new IllegalArgumentException("cannot send null on " + this);
            }
            // queued as it is now: the caller may reuse its array
            // an object a Protocol encodes counts as its text would: the bound holds for every kind of data
            return data instanceof byte[] bytes ? queue(bytes.clone(), bytes.length)
                    : queue(data, Math.max(1, ByteBufUtil.utf8Bytes(String.valueOf(data))));
        }
        if (!pending.isEmpty()) {
            flushPending();
        }
        return live.send(data);
    }

    @Override
    public SendStatus sendRaw(byte[] data) {
        if (state != State.ESTABLISHED) {
            return queue(new Raw(data.clone()), data.length);
        }
        if (!pending.isEmpty()) {
            flushPending();
        }
        return live.sendRaw(data);
    }

    @Override
    public void close() {
        close(null);
    }

    @Override
    public void close(Object data) {
        if (state == State.ESTABLISHED && live != null) {
            cancelReconnect();
            state = State.CLOSING;
            live.close(data); // onClose follows when it is closed
        } else if (state != State.CLOSING) {
            destroy();
        }
    }

    /** Closes at once; a connect under way is abandoned, with {@code onClose} as Workerman's destroy calls it. */
    @Override
    public void destroy() {
        cancelReconnect();
        State was = state;
        Connection current = live;
        dropPending();
        if (was == State.CLOSED || was == State.INITIAL && current == null) {
            state = State.CLOSED;
            return;
        }
        if (was == State.ESTABLISHED || was == State.CLOSING) {
            state = State.CLOSING;
            current.destroy(); // onClose follows when it is closed
            return;
        }
        state = State.CLOSED;
        attempt++;
        live = null;
        if (current != null) {
            current.destroy();
        }
        if (onClose != null) {
            WorkerRuntime.current().callApplication("onClose", () -> onClose.call(this));
        }
    }

    private void cancelReconnect() {
        if (reconnectTimer != 0) {
            Timer.del(reconnectTimer);
            reconnectTimer = 0;
        }
    }

    /** Stops reading, now or, before the connection is up, from its start (and through reconnects) until resumeRecv. */
    @Override
    public void pauseRecv() {
        paused = true;
        if (live != null) {
            live.pauseRecv();
        }
    }

    @Override
    public void resumeRecv() {
        paused = false;
        if (live != null) {
            live.resumeRecv();
        }
    }

    /** The queue before the connect reached maxSendBufferSize, or the connection's own buffer is full. */
    @Override
    public boolean bufferIsFull() {
        return connected() ? live.bufferIsFull() : pendingFull;
    }

    @Override
    public long getSendBufferQueueSize() {
        return connected() ? live.getSendBufferQueueSize() : pendingBytes;
    }

    @Override
    public long getRecvBufferQueueSize() {
        return connected() ? live.getRecvBufferQueueSize() : 0;
    }

    /** Connected, or closing what was connected: its own buffers are the ones that count. */
    private boolean connected() {
        return (state == State.ESTABLISHED || state == State.CLOSING) && live != null;
    }

    /** The current connection's (a reconnect starts from 0 again); 0 while not connected. */
    @Override
    public long getBytesRead() {
        return live != null ? live.getBytesRead() : 0;
    }

    @Override
    public long getBytesWritten() {
        return live != null ? live.getBytesWritten() : 0;
    }

    /** The host it connects to, as given (Workerman's getRemoteHost). */
    public String getRemoteHost() {
        return uri.getHost();
    }

    /** The address it connects to, as given (Workerman's getRemoteURI): {@code ws://example.com:8080/path?query}. */
    public String getRemoteUri() {
        return uri.toString();
    }

    /** Connected (for {@code ws://}: its handshake done), and neither closed nor closing. */
    @Override
    public boolean isOpen() {
        return state == State.ESTABLISHED && live != null && live.isOpen();
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

    /** Its id among this process's connections, from its first connect on (0 before): a reconnect keeps it. */
    @Override
    public long getId() {
        return id;
    }

    /** The peer's address once connected; before, the host it connects to, as given (as Workerman's). */
    @Override
    public String getRemoteIp() {
        return connected() ? live.getRemoteIp() : IpText.unbracketed(uri.getHost());
    }

    /** The server's certificate, once a {@code wss://} or {@code setTransport("ssl")} handshake ended; empty before, or without TLS. */
    @Override
    public java.util.Optional<java.security.cert.X509Certificate> getPeerCertificate() {
        return connected() ? live.getPeerCertificate() : java.util.Optional.empty();
    }

    @Override
    public int getRemotePort() {
        return connected() ? live.getRemotePort() : Dialer.port(uri);
    }

    @Override
    public String getLocalIp() {
        return live == null ? "" : live.getLocalIp();
    }

    @Override
    public int getLocalPort() {
        return live == null ? 0 : live.getLocalPort();
    }

    @Override
    public Worker getWorker() {
        return WorkerRuntime.current().worker();
    }

    @Override
    public String getProtocol() {
        return uri.getScheme();
    }

    @Override
    public int getMaxSendBufferSize() {
        return maxSendBufferSize;
    }

    @Override
    public Connection setMaxSendBufferSize(int bytes) {
        maxSendBufferSize = ConnectionDefaults.positive(bytes, "maxSendBufferSize");
        if (live != null) {
            live.setMaxSendBufferSize(bytes);
        }
        return this;
    }

    @Override
    public int getMaxPackageSize() {
        return maxPackageSize;
    }

    @Override
    public Connection setMaxPackageSize(int bytes) {
        maxPackageSize = ConnectionDefaults.positive(bytes, "maxPackageSize");
        if (live != null) {
            live.setMaxPackageSize(bytes);
        }
        return this;
    }

    // ---- callbacks ----

    /** The connection is up (for ws://: the handshake is done); data queued before is sent first. */
    public AsyncTcpConnection onConnect(ConnectionCallback callback) {
        this.onConnect = callback;
        return this;
    }

    @Override
    public AsyncTcpConnection onMessage(MessageCallback callback) {
        this.onMessage = callback;
        return this;
    }

    @Override
    public AsyncTcpConnection onClose(ConnectionCallback callback) {
        this.onClose = callback;
        return this;
    }

    @Override
    public AsyncTcpConnection onBufferFull(ConnectionCallback callback) {
        this.onBufferFull = callback;
        return this;
    }

    @Override
    public AsyncTcpConnection onBufferDrain(ConnectionCallback callback) {
        this.onBufferDrain = callback;
        return this;
    }

    @Override
    public AsyncTcpConnection onError(ErrorCallback callback) {
        this.onError = callback;
        return this;
    }

    /**
     * ws://: the server sent a ping. Without this the connection answers every ping itself; with
     * it, as Workerman's, the application answers: {@code send(payload)} from here sends a pong.
     */
    @Override
    public AsyncTcpConnection onWebSocketPing(WebSocketControlCallback callback) {
        requireWebSocket("onWebSocketPing");
        this.onWebSocketPing = callback;
        if (live != null) {
            Dialer.hooksChanged(live); // set once connected: its frames come here from now on
        }
        return this;
    }

    /** ws://: the server sent a pong, the answer to a {@link WebSocketPing}. */
    @Override
    public AsyncTcpConnection onWebSocketPong(WebSocketControlCallback callback) {
        requireWebSocket("onWebSocketPong");
        this.onWebSocketPong = callback;
        if (live != null) {
            Dialer.hooksChanged(live); // set once connected: its frames come here from now on
        }
        return this;
    }

    /**
     * ws://: the server sent a close frame first, with its code (1005 when it had none) and reason.
     * The callback may still send, then close; if it does not, the connection answers with the
     * server's code once it returns, and closes. Without it, the same answer. onClose follows.
     */
    @Override
    public AsyncTcpConnection onWebSocketClose(WebSocketCloseCallback callback) {
        requireWebSocket("onWebSocketClose");
        this.onWebSocketClose = callback;
        return this;
    }

    /** Not a client's: a ws:// connection's {@link #onConnect} runs once the server accepted its handshake. */
    @Override
    public AsyncTcpConnection onWebSocketConnect(WebSocketConnectCallback callback) {
        throw new IllegalStateException("connection " + getId() + " is a " + getProtocol() + ":// client: onWebSocketConnect is an accepted"
                + " websocket:// connection's" + (webSocket() ? "; a ws:// client's onConnect runs once the server accepted its handshake" : ""));
    }

    private boolean webSocket() {
        return webSocket(uri);
    }

    private static boolean webSocket(URI uri) {
        return uri.getScheme().equals("ws") || uri.getScheme().equals("wss");
    }

    private void requireWebSocket(String hook) {
        if (!webSocket()) {
            throw new IllegalStateException("connection " + getId() + " is a " + getProtocol() + ":// client, not ws://: " + hook
                    + " is a WebSocket connection's");
        }
    }

    /**
     * onConnect as the event loop runs it for {@code opened}: queued data goes out first. A
     * connection that a reconnect, close or destroy replaced while it connected is closed unannounced.
     */
    public ConnectionCallback getOnConnect(Connection opened) {
        return connection -> {
            if (opened != live || state != State.CONNECTING) {
                opened.destroy();
                return;
            }
            state = State.ESTABLISHED;
            failures.connected();
            if (paused && webSocket()) {
                opened.pauseRecv(); // what came with the 101 and after is held (ConnectionHandler) until resumeRecv
            }
            if (!pending.isEmpty() || fullTold) { // a full told before (this connection's queue, or the last one's) is drained now
                flushPending();
            }
            if (onConnect != null) {
                onConnect.call(connection);
            }
        };
    }

    public MessageCallback getOnMessage() {
        return onMessage;
    }

    public ConnectionCallback getOnClose() {
        return onClose;
    }

    public ConnectionCallback getOnBufferFull() {
        return onBufferFull;
    }

    public ConnectionCallback getOnBufferDrain() {
        return onBufferDrain;
    }

    /** onBufferFull as the connection runs it when its own buffer fills: not again when the queue's filling was told. */
    public ConnectionCallback bufferFullHook() {
        return connection -> {
            if (markFull() && onBufferFull != null) {
                onBufferFull.call(connection);
            }
        };
    }

    /** onBufferDrain as the connection runs it when its own buffer drained: once for each onBufferFull. */
    public ConnectionCallback bufferDrainHook() {
        return connection -> {
            if (markDrained() && onBufferDrain != null) {
                onBufferDrain.call(connection);
            }
        };
    }

    /** Whether onBufferFull is to be told now: not while it was told and onBufferDrain not since. */
    private boolean markFull() {
        boolean tell = !fullTold;
        fullTold = true;
        return tell;
    }

    private boolean markDrained() {
        boolean tell = fullTold;
        fullTold = false;
        return tell;
    }

    public ErrorCallback getOnError() {
        return onError;
    }

    public WebSocketControlCallback getOnWebSocketPing() {
        return onWebSocketPing;
    }

    public WebSocketControlCallback getOnWebSocketPong() {
        return onWebSocketPong;
    }

    public WebSocketCloseCallback getOnWebSocketClose() {
        return onWebSocketClose;
    }

    @Override
    public String toString() {
        return "AsyncTcpConnection to " + uri;
    }

}
