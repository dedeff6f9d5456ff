package dev.drover;

/**
 * {@code onWebSocketClose}: the client sent a close frame first, with its status {@code code}
 * (1005 when the frame had none, RFC 6455 7.1.5) and {@code reason} (empty when it gave none). It
 * may throw any exception.
 */
@FunctionalInterface
public interface WebSocketCloseCallback {
    void call(Connection connection, int code, String reason) throws Exception;
}
