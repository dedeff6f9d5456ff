package dev.drover;

/**
 * What {@link Connection#send} did with the data (Workerman's true / null / false). drover writes
 * what a callback sends when the event loop is done with that read or timer, so that the answers
 * to one read go out in one system call: a send from a callback is {@link #QUEUED}, not
 * {@link #WRITTEN}, even to an idle socket. Test for {@link #FAILED}, as Workerman's
 * {@code === false}; {@code onBufferFull} says when the peer reads too slowly.
 */
public enum SendStatus {
    /** Handed to the kernel. */
    WRITTEN,
    /** Accepted: queued in the connection's send buffer, written when the loop is done with the callback, and as the peer reads. */
    QUEUED,
    /** Dropped: the connection is closed, or its send buffer is full ({@code onError(SEND_FAIL)} says which). */
    FAILED
}
