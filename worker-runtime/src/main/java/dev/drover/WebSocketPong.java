package dev.drover;

/**
 * Send this on a WebSocket connection for a pong frame carrying {@code payload} (at most 125
 * bytes): the answer to a ping (in {@link Worker#onWebSocketPing}, {@code send(payload)} answers
 * with one too, as in Workerman), or unasked, a heartbeat the client does not answer (RFC 6455 5.5.3).
 */
public record WebSocketPong(byte[] payload) {
    public WebSocketPong {
        payload = WebSocketPing.checked("pong", payload);
    }

    /** A copy of the payload (the record keeps its own, so what goes out is what was made). */
    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
