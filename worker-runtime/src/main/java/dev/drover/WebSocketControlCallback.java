package dev.drover;

/**
 * {@code onWebSocketPing} and {@code onWebSocketPong}: a control frame arrived on a WebSocket,
 * with its {@code payload} (0 to 125 bytes, often empty). It may throw any exception.
 */
@FunctionalInterface
public interface WebSocketControlCallback {
    void call(Connection connection, byte[] payload) throws Exception;
}
