package dev.drover;

/**
 * Send this on a WebSocket connection to close it with a status code (1000 normal, 1001 going
 * away, 4000-4999 the application's own) and a reason.
 *
 * <p>The codes an endpoint may send (RFC 6455 7.4): 1000-1003, 1007-1014 and 3000-4999. 1004 is
 * reserved, and 1005, 1006 and 1015 only report a close that had no frame or a failed TLS
 * handshake; they are refused here rather than when the frame is written.
 */
public record WebSocketClose(int code, String reason) {
    public WebSocketClose {
        if (!sendable(code)) {
            throw new IllegalArgumentException("WebSocket close code " + code
                    + " cannot be sent (RFC 6455 7.4): use 1000-1003, 1007-1014, or 3000-4999 (4000-4999 are the application's)");
        }
    }

    /** Whether an endpoint may send {@code code} in a close frame. */
    private static boolean sendable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }
}
