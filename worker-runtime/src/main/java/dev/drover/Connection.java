package dev.drover;

import dev.drover.internal.ConnectionDefaults;
import dev.drover.master.IpText;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * One connection of a worker, accepted or ({@link AsyncTcpConnection}) opened by it. Call its
 * methods on the worker's event loop, that is from a callback or a timer, as in Workerman.
 * Callbacks set here override the Worker's for this connection only.
 */
public interface Connection {
    /** {@code onError} code: an outgoing connection could not be made. */
    int CONNECT_FAIL = 1;
    /** {@code onError} code: data was dropped because the send buffer was full or the connection closed. */
    int SEND_FAIL = 2;

    /** Sends data encoded by the connection's protocol: a line for text, a 200 text/plain response for http. */
    default SendStatus send(String data) {
        return send((Object) data);
    }

    /** Sends bytes encoded by the connection's protocol. */
    default SendStatus send(byte[] data) {
        return send((Object) data);
    }

    /**
     * Sends a protocol object ({@link dev.drover.http.Response}, a String, a byte[], ...). Past
     * {@link #getMaxSendBufferSize} queued bytes the data is dropped: {@link SendStatus#FAILED},
     * {@code onError(SEND_FAIL)}; the buffer filling up fires {@code onBufferFull}, its emptying
     * {@code onBufferDrain}.
     */
    SendStatus send(Object data);

    /**
     * Sends bytes as they are, bypassing the protocol's encoding. On {@code http://} they are a
     * whole answer of the application's own (head and body), for the oldest request owed one, as
     * Workerman's {@code send($data, true)}: the next request's answer follows them.
     */
    SendStatus sendRaw(byte[] data);

    /** Flushes what was sent, then closes. */
    void close();

    /** Sends {@code data}, then closes. */
    void close(Object data);

    /** Closes now, dropping whatever is still queued. */
    void destroy();

    /**
     * Stops reading from the socket: the peer's kernel buffer fills and its sends block
     * (back-pressure). Messages already read after the one being handled wait too, as Workerman
     * leaves them in its buffer.
     */
    void pauseRecv();

    /** Reads from the socket again: first the messages that waited, in order, once the caller returned to the event loop. */
    void resumeRecv();

    /**
     * Forwards everything received here to {@code destination}, with back-pressure: reading pauses
     * while the destination's send buffer is full; this side's close closes the other.
     */
    default void pipe(Connection destination) {
        onMessage((source, data) -> destination.send(data));
        onClose(source -> destination.close());
        destination.onBufferFull(d -> pauseRecv());
        destination.onBufferDrain(d -> resumeRecv());
    }

    /** Whether the connection is still open. */
    boolean isOpen();

    /**
     * In {@code onWebSocketConnect}: a header for the 101 that accepts this websocket:// client, as
     * Workerman's {@code $connection->headers} (a {@code Set-Cookie}; a {@code Sec-WebSocket-Protocol}
     * chosen for this request, which replaces the worker's choice). Returns this connection.
     *
     * @throws IllegalStateException on another protocol's connection, or once the 101 is on its way
     * @throws IllegalArgumentException for a name or value no header may have
     */
    default Connection addWebSocketHeader(String name, String value) {
        throw new IllegalStateException("connection " + getId() + " is " + getProtocol() + ", not websocket: only a WebSocket's 101 takes headers");
    }

    /**
     * This websocket:// connection's own {@link Worker#onWebSocketConnect}, as Workerman's
     * {@code $connection->onWebSocketConnect} set in {@code onConnect}: it runs instead of the
     * worker's (which then does not run for this connection). Set it before the handshake is
     * answered: in {@code onConnect}. Returns this connection.
     *
     * @throws IllegalStateException on another protocol's connection, or once the 101 is on its way
     */
    default Connection onWebSocketConnect(WebSocketConnectCallback callback) {
        throw notWebSocket("onWebSocketConnect");
    }

    /**
     * This WebSocket connection's own {@link Worker#onWebSocketPing}, as Workerman's
     * {@code $connection->onWebSocketPing}: it runs instead of the worker's. Returns this connection.
     *
     * @throws IllegalStateException on another protocol's connection
     */
    default Connection onWebSocketPing(WebSocketControlCallback callback) {
        throw notWebSocket("onWebSocketPing");
    }

    /** This WebSocket connection's own {@link Worker#onWebSocketPong}, which runs instead of the worker's. */
    default Connection onWebSocketPong(WebSocketControlCallback callback) {
        throw notWebSocket("onWebSocketPong");
    }

    /** This WebSocket connection's own {@link Worker#onWebSocketClose}, which runs instead of the worker's. */
    default Connection onWebSocketClose(WebSocketCloseCallback callback) {
        throw notWebSocket("onWebSocketClose");
    }

    private IllegalStateException notWebSocket(String hook) {
        return new IllegalStateException("connection " + getId() + " is " + getProtocol() + ", not websocket: " + hook
                + " is a WebSocket connection's");
    }

    /**
     * Keeps {@code value} on this connection under {@code name}, as Workerman code sets
     * {@code $connection->uid = $uid}; a null value removes it. Returns this connection.
     */
    Connection put(String name, Object value);

    /**
     * What {@link #put} kept under {@code name}, or null: {@code String uid = connection.get("uid");}
     * (a ClassCastException there when it is of another type).
     */
    <T> T get(String name);

    /** This connection's id, unique within its worker process. */
    long getId();

    /**
     * The peer's IP address, e.g. {@code 127.0.0.1} or {@code ::1} (IPv6 in RFC 5952's short form,
     * as Workerman and nginx write it); empty for a Unix socket's peer.
     */
    String getRemoteIp();

    int getRemotePort();

    String getLocalIp();

    int getLocalPort();

    /** {@code ip:port}, {@code [ip]:port} for IPv6, as Workerman's getRemoteAddress; empty for a Unix socket's peer. */
    default String getRemoteAddress() {
        return IpText.withPort(getRemoteIp(), getRemotePort());
    }

    /** This end's {@code ip:port} ({@code [ip]:port} for IPv6); empty on a Unix socket. */
    default String getLocalAddress() {
        return IpText.withPort(getLocalIp(), getLocalPort());
    }

    /** Whether the peer is on IPv4 (Workerman's isIpV4). */
    default boolean isIpV4() {
        String ip = getRemoteIp();
        return !ip.isEmpty() && ip.indexOf(':') < 0;
    }

    /** Whether the peer is on IPv6 (Workerman's isIpV6). */
    default boolean isIpV6() {
        return getRemoteIp().indexOf(':') >= 0;
    }

    /**
     * The certificate the client showed in its TLS handshake, checked against the CAs of
     * {@link Worker#setSslVerifyClient} (its subject: {@code getSubjectX500Principal().getName()});
     * empty for a client that showed none, without TLS, or before the handshake ended (in
     * {@code onConnect}, which comes with the TCP connection, as in Workerman; {@code onMessage}
     * comes after it). On an {@link AsyncTcpConnection}: the server's certificate.
     */
    default Optional<X509Certificate> getPeerCertificate() {
        return Optional.empty();
    }

    /** The Worker this connection belongs to (for an outgoing connection: the process's own). */
    Worker getWorker();

    /** The protocol's name, e.g. {@code http}. */
    String getProtocol();

    /** Bytes queued at most before send drops data (default {@link #getDefaultMaxSendBufferSize}). */
    int getMaxSendBufferSize();

    /** Whether the send buffer is full: between {@code onBufferFull} and {@code onBufferDrain} (Workerman's bufferIsFull). */
    default boolean bufferIsFull() {
        return false;
    }

    Connection setMaxSendBufferSize(int bytes);

    /**
     * Bytes sent and not yet written to the socket (Workerman's getSendBufferQueueSize): what
     * {@link #getMaxSendBufferSize} bounds; for an AsyncTcpConnection not yet connected, what waits
     * for the connection.
     */
    default long getSendBufferQueueSize() {
        return 0;
    }

    /** Bytes read that make no whole package yet (Workerman's getRecvBufferQueueSize), as {@code connections} shows them. */
    default long getRecvBufferQueueSize() {
        return 0;
    }

    /** Whether everything sent went out to the socket (Workerman's bufferIsEmpty). */
    default boolean bufferIsEmpty() {
        return getSendBufferQueueSize() == 0;
    }

    /** Bytes read from the socket so far (Workerman's {@code $connection->bytesRead}), as {@code connections} shows them; 0 for a datagram's. */
    default long getBytesRead() {
        return 0;
    }

    /** Bytes written to the socket so far (Workerman's {@code $connection->bytesWritten}); 0 for a datagram's. */
    default long getBytesWritten() {
        return 0;
    }

    /** The largest package accepted; a bigger one closes the connection (default 10 MiB). */
    int getMaxPackageSize();

    Connection setMaxPackageSize(int bytes);

    Connection onMessage(MessageCallback callback);

    Connection onClose(ConnectionCallback callback);

    Connection onBufferFull(ConnectionCallback callback);

    Connection onBufferDrain(ConnectionCallback callback);

    Connection onError(ErrorCallback callback);

    /** The send buffer size new connections get (Workerman's {@code defaultMaxSendBufferSize}, 1 MiB). */
    static int getDefaultMaxSendBufferSize() {
        return ConnectionDefaults.maxSendBufferSize();
    }

    static void setDefaultMaxSendBufferSize(int bytes) {
        ConnectionDefaults.maxSendBufferSize(bytes);
    }

    /** The package size limit new connections get (Workerman's {@code maxPackageSize}, 10 MiB). */
    static int getDefaultMaxPackageSize() {
        return ConnectionDefaults.maxPackageSize();
    }

    static void setDefaultMaxPackageSize(int bytes) {
        ConnectionDefaults.maxPackageSize(bytes);
    }
}
