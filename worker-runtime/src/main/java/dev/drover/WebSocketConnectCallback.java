package dev.drover;

import dev.drover.http.Request;

/**
 * {@code onWebSocketConnect}: a WebSocket handshake arrived, and its 101 is not written yet;
 * {@code request} has its path, query and headers. It may refuse the client with
 * {@code connection.close()} or {@code connection.close(response)} (see
 * {@link Worker#onWebSocketConnect}). It may throw any exception.
 */
@FunctionalInterface
public interface WebSocketConnectCallback {
    void call(Connection connection, Request request) throws Exception;
}
