package dev.drover.internal;

/**
 * The request timeouts' view of one connection ({@link RequestTimeouts}), kept by their sweep,
 * which looks at it every period: when bytes last came, and since when a head has been under way.
 * No clock is read on the request path: the sweep notices the changes, a period late at most.
 */
final class RequestClock {
    private static final long NONE = Long.MIN_VALUE;

    private final long since;
    private long read;
    private long quietSince;
    private long headSince = NONE;
    private int messages;

    RequestClock(long now, long read, int messages) {
        this.since = now;
        this.read = read;
        this.quietSince = now;
        this.messages = messages;
    }

    /** Since when the sweep has known the connection. */
    long since() {
        return since;
    }

    /**
     * Whether the client ran out of time at {@code now}: a head not whole {@code requestNanos}
     * after its first byte, a body silent that long, or a connection silent {@code idleNanos}
     * between requests (zero: no bound). {@code applicationsTurn}: an answer is owed, or receiving
     * is paused; the clock starts again after it.
     */
    boolean expired(long now, long bytesRead, int messagesSeen, boolean applicationsTurn, long held, boolean readingBody,
                    long requestNanos, long idleNanos) {
        if (bytesRead != read) {
            read = bytesRead;
            quietSince = now;
        }
        if (messagesSeen != messages) { // a request came whole since: what is held now is another's head
            messages = messagesSeen;
            headSince = NONE;
        }
        if (applicationsTurn) {
            quietSince = now;
            headSince = NONE;
            return false;
        }
        if (readingBody) {
            return requestNanos > 0 && now - quietSince > requestNanos;
        }
        if (held > 0) {
            if (headSince == NONE) {
                headSince = now;
            }
            return requestNanos > 0 && now - headSince > requestNanos;
        }
        headSince = NONE;
        return idleNanos > 0 && now - quietSince > idleNanos;
    }
}
