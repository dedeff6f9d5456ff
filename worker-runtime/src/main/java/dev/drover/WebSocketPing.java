package dev.drover;

/**
 * Send this on a WebSocket connection for a ping frame carrying {@code payload} (at most 125
 * bytes, RFC 6455 5.5): the client answers with a pong carrying the same bytes, which
 * {@link Worker#onWebSocketPong} receives. An application that checks its clients are alive sends
 * one from a timer; browsers answer pings themselves.
 */
public record WebSocketPing(byte[] payload) {
    /** The largest payload a control frame carries (RFC 6455 5.5). */
    public static final int MAX_PAYLOAD = 125;

    public WebSocketPing {
        payload = checked("ping", payload);
    }

    /** An empty ping. */
    public WebSocketPing() {
        this(new byte[0]);
    }

    /** A copy of {@code payload}, for a control frame named {@code kind}. */
    static byte[] checked(String kind, byte[] payload) {
        if (payload == null || payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a WebSocket " + kind + " carries 0 to " + MAX_PAYLOAD + " bytes (RFC 6455 5.5), not "
                    + (payload == null ? "null" : payload.length));
        }
        return payload.clone();
    }

    /** A copy of the payload (the record keeps its own, so what goes out is what was made). */
    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
