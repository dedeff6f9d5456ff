package dev.drover.internal;

/**
 * Logs the connect failures of one outgoing connection that has no {@code onError}: the first,
 * then one a minute at most, saying how many were left out. A client that reconnects every second
 * to a server that is down wrote a line a second, and fifty of them fifty.
 */
public final class FailureLog {
    private static final long QUIET_NANOS = 60_000_000_000L;

    private boolean logged;
    private long loggedAt;
    private int left;

    /** Logs {@code message}, unless one was logged in the last minute (then it is counted). */
    public void log(String message) {
        long now = System.nanoTime();
        if (logged && now - loggedAt < QUIET_NANOS) {
            left++;
            return;
        }
        WorkerRuntime.current().log(message + (left == 0 ? "" : " (" + left + " more failures of this connection were not logged"
                + " in the minute before)"));
        logged = true;
        loggedAt = now;
        left = 0;
    }

    /** It connected: its next failure is logged at once. */
    public void connected() {
        logged = false;
        left = 0;
    }
}
