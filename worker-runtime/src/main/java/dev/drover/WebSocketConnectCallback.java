package dev.drover;

import dev.drover.http.Request;

/**
 * {@code onWebSocketConnect}: a WebSocket handshake completed; {@code request} has its path,
 * query and headers. It may throw any exception.
 */
@FunctionalInterface
public interface WebSocketConnectCallback {
    void call(Connection connection, Request request) throws Exception;
}
