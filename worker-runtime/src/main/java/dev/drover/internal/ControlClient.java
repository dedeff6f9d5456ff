package dev.drover.internal;

import dev.drover.master.ControlMessage;
import dev.drover.master.os.Os;

/**
 * The worker's end of its control channel (fd 3), for messages to the master. Writes are blocking
 * and whole, from any thread; reading is {@link ControlReader}'s.
 */
final class ControlClient {
    private final Os os;
    private final int fd;

    ControlClient(Os os, int fd) {
        this.os = os;
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    synchronized void send(ControlMessage message) {
        byte[] bytes = message.encode();
        int offset = 0;
        while (offset < bytes.length) {
            int written = os.write(fd, bytes, offset, bytes.length - offset);
            if (written > 0) {
                offset += written;
            }
        }
    }

    void ready() {
        send(ControlMessage.of(ControlMessage.READY));
    }

    /** A line for the master's log file, written with this worker's pid. */
    void log(String text) {
        send(ControlMessage.of(ControlMessage.LOG, text));
    }

    /** Why this worker is about to exit abnormally, for {@code start -d} to report. */
    void fail(String reason) {
        send(ControlMessage.of(ControlMessage.FAIL, reason));
    }
}
