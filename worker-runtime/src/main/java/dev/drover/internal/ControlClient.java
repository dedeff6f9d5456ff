package dev.drover.internal;

import dev.drover.master.ControlMessage;

/**
 * The worker's end of its control channel (fd 3), for messages to the master. Writes are blocking
 * and whole, from any thread; reading is {@link ControlReader}'s.
 */
final class ControlClient {
    private final ControlSocket channel;

    ControlClient(ControlSocket channel) {
        this.channel = channel;
    }

    ControlSocket channel() {
        return channel;
    }

    void send(ControlMessage message) {
        channel.write(message.encode());
    }

    void ready() {
        send(ControlMessage.of(ControlMessage.READY));
    }

    /**
     * Lends the master a listening socket this worker bound itself, of socket key {@code key}, for
     * the slot's next worker: the descriptor and its line go together (the master pairs them in
     * order), whichever thread lends.
     */
    void lend(int fd, String key) {
        synchronized (channel) { // the channel's own lock (its writes take it too)
            channel.sendFd(fd);
            send(ControlMessage.of(ControlMessage.LISTENER, key));
        }
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
