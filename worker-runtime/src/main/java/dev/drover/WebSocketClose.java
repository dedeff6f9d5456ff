package dev.drover;

/**
 * Send this on a WebSocket connection to close it with a status code (1000 normal, 1001 going
 * away, 4000-4999 the application's own) and a reason.
 */
public record WebSocketClose(int code, String reason) {
    public WebSocketClose {
        if (code < 1000 || code > 4999) {
            throw new IllegalArgumentException("WebSocket close code must be from 1000 to 4999, was " + code);
        }
    }
}
