package dev.drover;

import dev.drover.internal.ConnectionDefaults;
import dev.drover.internal.Dialer;
import dev.drover.internal.WorkerRuntime;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;


/**
 * A connection this worker opens, Workerman's {@code AsyncTcpConnection}: {@code tcp://},
 * {@code text://}, {@code frame://}, a registered protocol, {@code ws://} or {@code wss://}, on the
 * worker's event loop, with the same callbacks as an accepted connection. Data sent before it is
 * connected is sent once it is. A failed connect calls {@code onError(CONNECT_FAIL)} then
 * {@code onClose}, so {@code onClose = c -> c.reconnect(1)} keeps it connected.
 */
public final class AsyncTcpConnection implements Connection {
    private final URI uri;
    private boolean ssl;
    private boolean verifyPeer = true;
    private Connection live;
    private final List<Object> pending = new ArrayList<>();
    private int maxSendBufferSize = ConnectionDefaults.maxSendBufferSize();
    private int maxPackageSize = ConnectionDefaults.maxPackageSize();
    private ConnectionCallback onConnect;
    private MessageCallback onMessage;
    private ConnectionCallback onClose;
    private ConnectionCallback onBufferFull;
    private ConnectionCallback onBufferDrain;
    private ErrorCallback onError;
    private long reconnectTimer;

    /** A connection to {@code address}, e.g. {@code text://127.0.0.1:5678} or {@code ws://127.0.0.1:8080/chat}. */
    public AsyncTcpConnection(String address) {
        URI parsed = URI.create(address);
        if (parsed.getScheme() == null || parsed.getHost() == null) {
            throw new IllegalArgumentException("remote address '" + address + "' needs a protocol and a host, e.g. text://127.0.0.1:5678");
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

    /** Opens the connection; callbacks follow on the event loop. */
    public void connect() {
        Dialer.dial(this, uri, ssl, verifyPeer, connection -> {
            live = connection;
            connection.setMaxSendBufferSize(maxSendBufferSize).setMaxPackageSize(maxPackageSize);
        }, this::connectFailed);
    }

    private void connectFailed(Throwable cause) {
        live = null;
        String message = "connect " + uri.getHost() + ":" + uri.getPort() + " failed: " + cause.getMessage();
        WorkerRuntime runtime = WorkerRuntime.current();
        if (onError != null) {
            runtime.callApplication("onError", () -> onError.call(this, CONNECT_FAIL, message));
        }
        if (onClose != null) {
            runtime.callApplication("onClose", () -> onClose.call(this));
        }
    }

    /** Closes the current connection, if any, and connects again after {@code seconds}. */
    public void reconnect(double seconds) {
        if (live != null && live.isOpen()) {
            live.destroy();
        }
        live = null;
        if (reconnectTimer != 0) {
            Timer.del(reconnectTimer);
        }
        reconnectTimer = seconds > 0 ? Timer.once(seconds, () -> {
            reconnectTimer = 0;
            connect();
        }) : 0;
        if (seconds <= 0) {
            connect();
        }
    }

    /** Sends what was queued before the connection was up (called on connect). */
    private void flushPending() {
        List<Object> queued = List.copyOf(pending);
        pending.clear();
        queued.forEach(live::send);
    }

    // ---- Connection ----

    @Override
    public SendStatus send(Object data) {
        if (live == null || !live.isOpen()) {
            pending.add(data);
            return SendStatus.QUEUED;
        }
        if (!pending.isEmpty()) {
            flushPending();
        }
        return live.send(data);
    }

    @Override
    public SendStatus sendRaw(byte[] data) {
        return live == null ? SendStatus.FAILED : live.sendRaw(data);
    }

    @Override
    public void close() {
        cancelReconnect();
        if (live != null) {
            live.close();
        }
    }

    @Override
    public void close(Object data) {
        cancelReconnect();
        if (live != null) {
            live.close(data);
        }
    }

    @Override
    public void destroy() {
        cancelReconnect();
        if (live != null) {
            live.destroy();
        }
    }

    private void cancelReconnect() {
        if (reconnectTimer != 0) {
            Timer.del(reconnectTimer);
            reconnectTimer = 0;
        }
    }

    @Override
    public void pauseRecv() {
        if (live != null) {
            live.pauseRecv();
        }
    }

    @Override
    public void resumeRecv() {
        if (live != null) {
            live.resumeRecv();
        }
    }

    @Override
    public boolean isOpen() {
        return live != null && live.isOpen();
    }

    @Override
    public long getId() {
        return live == null ? 0 : live.getId();
    }

    @Override
    public String getRemoteIp() {
        return live == null ? uri.getHost() : live.getRemoteIp();
    }

    @Override
    public int getRemotePort() {
        return live == null ? uri.getPort() : live.getRemotePort();
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

    /** onConnect as the event loop runs it: queued data goes out first. */
    public ConnectionCallback getOnConnect() {
        return connection -> {
            if (!pending.isEmpty()) {
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

    public ErrorCallback getOnError() {
        return onError;
    }

    @Override
    public String toString() {
        return "AsyncTcpConnection to " + uri;
    }

}
