package dev.drover;

/** What {@link Connection#send} did with the data (Workerman's true / null / false). */
public enum SendStatus {
    /** Handed to the kernel. */
    WRITTEN,
    /** Queued in the connection's send buffer; it goes out as the peer reads. */
    QUEUED,
    /** Dropped: the connection is closed. */
    FAILED
}
