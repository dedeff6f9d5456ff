package dev.drover.internal;

import dev.drover.WebSocketCloseCallback;
import dev.drover.WebSocketConnectCallback;
import dev.drover.WebSocketControlCallback;

/**
 * The WebSocket hooks set on one accepted connection (Workerman's {@code $connection->onWebSocketConnect}
 * and kin, set in onConnect), each going before its worker's; made at the first one set, so a
 * connection without any carries one null field.
 */
final class WebSocketHooks {
    WebSocketConnectCallback connect;
    WebSocketControlCallback ping;
    WebSocketControlCallback pong;
    WebSocketCloseCallback close;
}
