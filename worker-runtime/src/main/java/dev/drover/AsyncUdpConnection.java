package dev.drover;

import dev.drover.internal.ConnectionDefaults;
import dev.drover.internal.ConnectionProperties;
import dev.drover.internal.Datagrams;
import dev.drover.internal.FailureLog;
import dev.drover.internal.UdpClient;
import dev.drover.internal.WorkerRuntime;
import dev.drover.master.IpText;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Datagrams to one peer, and the peer's answers, from a worker: Workerman's
 * {@code AsyncUdpConnection}. {@code udp://host:port} sends and receives bytes (a String as UTF-8);
 * {@code text://host:port}, {@code frame://...} or a registered protocol's scheme encodes each send
 * as one datagram and decodes each datagram received, whole, as Workerman's does. Its socket is
 * connected to the peer, so only the peer's datagrams arrive, and a datagram the peer's host
 * refuses (nothing listens on the port) comes back as {@code onError(SEND_FAIL)} on a later send
 * or read. {@code send} before {@code connect} connects first, as Workerman's; what is sent while
 * it connects (a host name resolving) goes out once it is, up to maxSendBufferSize. After
 * {@code close()}, sends fail until {@code connect()}.
 */
public final class AsyncUdpConnection implements Connection {
    private enum State { INITIAL, CONNECTING, ESTABLISHED, CLOSED }

    private final URI uri;
    /** The protocol of a scheme other than udp://; null for udp://. */
    private final Protocol protocol;
    private State state = State.INITIAL;
    private UdpClient socket;
    /** Counts connects: the result of one that a close or a later connect replaced is dropped. */
    private int attempt;
    private long id;
    /** Datagrams sent while it connected, and their size, at most maxSendBufferSize. */
    private final List<byte[]> pending = new ArrayList<>();
    private long pendingBytes;
    /** close(data) came while it connected: it closes once the queue went out. */
    private boolean closeWhenOpen;
    private boolean paused;
    private int maxSendBufferSize = ConnectionDefaults.maxSendBufferSize();
    private ConnectionCallback onConnect;
    private MessageCallback onMessage;
    private ConnectionCallback onClose;
    private ErrorCallback onError;
    private final ConnectionProperties properties = new ConnectionProperties();
    /** Its connect failures, logged when there is no onError. */
    private final FailureLog failures = new FailureLog();

    /** Datagrams to {@code address}, e.g. {@code udp://127.0.0.1:9125} or {@code text://[::1]:1234}. */
    public AsyncUdpConnection(String address) {
        URI parsed;
        try {
            parsed = new URI(address);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("remote address '" + address + "' is not an address: " + e.getReason()
                    + "; give one as udp://127.0.0.1:9125");
        }
        if (parsed.getScheme() == null || parsed.getHost() == null || parsed.getPort() < 1 || parsed.getPort() > 65535) {
            throw new IllegalArgumentException("remote address '" + address + "' needs a protocol, a host and a port, e.g. udp://127.0.0.1:9125");
        }
        this.uri = parsed;
        this.protocol = parsed.getScheme().equals("udp") ? null : protocolOf(parsed.getScheme(), address);
    }

    private static Protocol protocolOf(String scheme, String address) {
        Protocol named = Protocol.named(scheme);
        if (named == null) {
            throw new IllegalArgumentException("remote address '" + address + "': datagrams carry udp://, text://, frame:// or a protocol"
                    + " registered with Protocol.register (or named by its class), not " + scheme + "://");
        }
        return named;
    }

    /** Opens its socket; {@code onConnect} follows on the event loop. Ignored while it connects or is connected. */
    public void connect() {
        if (state == State.CONNECTING || state == State.ESTABLISHED) {
            return;
        }
        state = State.CONNECTING;
        if (id == 0) {
            id = UdpClient.nextId();
        }
        int thisAttempt = ++attempt;
        UdpClient.open(uri.getHost(), uri.getPort(), new UdpClient.Events() {
            @Override
            public void opened(UdpClient client) {
                if (thisAttempt != attempt) {
                    client.close(); // closed or connected again before it was open
                    return;
                }
                established(client);
            }

            @Override
            public void failed(String why) {
                if (thisAttempt == attempt) {
                    connectFailed(why);
                }
            }

            @Override
            public void received(byte[] data) {
                if (thisAttempt != attempt || onMessage == null) {
                    return;
                }
                Object message;
                try {
                    message = protocol == null ? data : protocol.decode(data, AsyncUdpConnection.this);
                } catch (RuntimeException failed) { // the protocol's own code, on what the peer sent: only this datagram is lost
                    runtime().log("a datagram from " + AsyncUdpConnection.this + " was dropped: protocol " + getProtocol()
                            + " failed on it: " + failed);
                    return;
                }
                runtime().callApplication("onMessage", () -> onMessage.call(AsyncUdpConnection.this, message));
            }

            @Override
            public void refused(String why) {
                if (thisAttempt == attempt) {
                    sendFailed(why);
                }
            }
        });
    }

    private void established(UdpClient client) {
        socket = client;
        failures.connected();
        state = State.ESTABLISHED;
        if (paused) {
            client.pauseRecv(true);
        }
        List<byte[]> queued = List.copyOf(pending);
        dropPending();
        queued.forEach(this::sendDatagram);
        if (closeWhenOpen) {
            closeWhenOpen = false;
            close();
        } else if (onConnect != null) {
            runtime().callApplication("onConnect", () -> onConnect.call(this));
        }
    }

    private void connectFailed(String why) {
        state = State.CLOSED;
        dropPending();
        closeWhenOpen = false;
        String message = "connect " + this + " failed: " + why;
        WorkerRuntime runtime = runtime();
        if (onError != null) {
            runtime.callApplication("onError", () -> onError.call(this, CONNECT_FAIL, message));
        } else {
            failures.log(message);
        }
        if (onClose != null) {
            runtime.callApplication("onClose", () -> onClose.call(this));
        }
    }

    /** One datagram: {@code data} as its protocol encodes it (an encode returning null sends nothing). */
    @Override
    public SendStatus send(Object data) {
        if (data == null) {
            throw new IllegalArgumentException("cannot send null on " + this);
        }
        byte[] encoded = Datagrams.encode(protocol, data, this);
        return encoded == null ? SendStatus.WRITTEN : sendRaw(encoded);
    }

    /** One datagram of {@code data} as it is, without the protocol's encode. */
    @Override
    public SendStatus sendRaw(byte[] data) {
        if (state == State.INITIAL) {
            connect();
        }
        if (state == State.CONNECTING) {
            if (pendingBytes + data.length > maxSendBufferSize) {
                return sendFailed("maxSendBufferSize (" + maxSendBufferSize + " bytes) is queued while it connects");
            }
            pending.add(data.clone()); // queued as it is now: the caller may reuse its array
            pendingBytes += data.length;
            return SendStatus.QUEUED;
        }
        return sendDatagram(data);
    }

    private SendStatus sendDatagram(byte[] data) {
        if (state != State.ESTABLISHED) {
            return sendFailed("it is closed: connect() it again");
        }
        return socket.send(data, this::sendFailed);
    }

    private SendStatus sendFailed(String why) {
        return runtime().sendFailed(this, onError, "datagram to " + this + " not sent: " + why);
    }

    private void dropPending() {
        pending.clear();
        pendingBytes = 0;
    }

    /** Closes its socket, then {@code onClose}; what was queued while it connected is dropped. */
    @Override
    public void close() {
        if (state == State.INITIAL || state == State.CLOSED) {
            return;
        }
        attempt++;
        state = State.CLOSED;
        dropPending();
        closeWhenOpen = false;
        if (socket != null) {
            socket.close();
            socket = null;
        }
        if (onClose != null) {
            runtime().callApplication("onClose", () -> onClose.call(this));
        }
    }

    /** Sends {@code data} (once connected, when it still connects), then closes. */
    @Override
    public void close(Object data) {
        if (data != null && (state == State.ESTABLISHED || state == State.CONNECTING)) {
            send(data);
        }
        if (state == State.CONNECTING) {
            closeWhenOpen = true;
            return;
        }
        close();
    }

    @Override
    public void destroy() {
        close();
    }

    @Override
    public void pauseRecv() {
        paused = true;
        if (socket != null) {
            socket.pauseRecv(true);
        }
    }

    @Override
    public void resumeRecv() {
        paused = false;
        if (socket != null) {
            socket.pauseRecv(false);
        }
    }

    @Override
    public void pipe(Connection destination) {
        throw new UnsupportedOperationException(this + " cannot be piped: datagrams are no stream");
    }

    @Override
    public boolean isOpen() {
        return state == State.ESTABLISHED;
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

    /** Its id among this process's connections, from its first connect on (0 before). */
    @Override
    public long getId() {
        return id;
    }

    /** The peer's address once connected; before, the host as given. */
    @Override
    public String getRemoteIp() {
        return socket != null ? socket.remoteIp() : IpText.unbracketed(uri.getHost());
    }

    @Override
    public int getRemotePort() {
        return uri.getPort();
    }

    @Override
    public String getLocalIp() {
        return socket == null ? "" : socket.localIp();
    }

    @Override
    public int getLocalPort() {
        return socket == null ? 0 : socket.localPort();
    }

    @Override
    public Worker getWorker() {
        return runtime().worker();
    }

    /** {@code udp}, or the scheme of its protocol. */
    @Override
    public String getProtocol() {
        return uri.getScheme();
    }

    /** What may be queued while it connects. */
    @Override
    public int getMaxSendBufferSize() {
        return maxSendBufferSize;
    }

    @Override
    public Connection setMaxSendBufferSize(int bytes) {
        maxSendBufferSize = ConnectionDefaults.positive(bytes, "maxSendBufferSize");
        return this;
    }

    /** A datagram's bound: one is read whole, up to 65,507 bytes. */
    @Override
    public int getMaxPackageSize() {
        return 65507;
    }

    /** Ignored: a datagram is read whole. */
    @Override
    public Connection setMaxPackageSize(int bytes) {
        return this;
    }

    /** Its socket is open: datagrams queued before go out first. */
    public AsyncUdpConnection onConnect(ConnectionCallback callback) {
        this.onConnect = callback;
        return this;
    }

    /** A datagram from the peer: bytes for udp://, else what its protocol's decode made of it. */
    @Override
    public AsyncUdpConnection onMessage(MessageCallback callback) {
        this.onMessage = callback;
        return this;
    }

    @Override
    public AsyncUdpConnection onClose(ConnectionCallback callback) {
        this.onClose = callback;
        return this;
    }

    /** Ignored: a datagram is sent at once or not at all. */
    @Override
    public AsyncUdpConnection onBufferFull(ConnectionCallback callback) {
        return this;
    }

    /** Ignored: a datagram is sent at once or not at all. */
    @Override
    public AsyncUdpConnection onBufferDrain(ConnectionCallback callback) {
        return this;
    }

    /** {@code CONNECT_FAIL} when its socket could not be opened, {@code SEND_FAIL} for a datagram not sent or refused. */
    @Override
    public AsyncUdpConnection onError(ErrorCallback callback) {
        this.onError = callback;
        return this;
    }

    private static WorkerRuntime runtime() {
        return WorkerRuntime.current();
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
