package dev.drover.internal;

import dev.drover.master.ControlMessage;
import dev.drover.master.LineBuffer;
import dev.drover.master.os.Os;
import java.util.function.Consumer;

/**
 * Reads the master's messages on a thread of its own (blocking reads of fd 3) and hands each to
 * the event loop. End of stream means the master is gone: the worker stops at once.
 */
final class ControlReader implements Runnable {
    private final Os os;
    private final int fd;
    private final byte[] rest;
    private final Consumer<ControlMessage> onMessage;
    private final Runnable onMasterGone;

    ControlReader(Os os, int fd, byte[] rest, Consumer<ControlMessage> onMessage, Runnable onMasterGone) {
        this.os = os;
        this.fd = fd;
        this.rest = rest;
        this.onMessage = onMessage;
        this.onMasterGone = onMasterGone;
    }

    void start() {
        Thread thread = new Thread(this, "drover-control");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        LineBuffer lines = new LineBuffer(1 << 20);
        lines.add(rest, rest.length).forEach(line -> onMessage.accept(ControlMessage.decode(line)));
        byte[] buffer = new byte[4096];
        try {
            int count;
            while ((count = os.read(fd, buffer)) != 0) {
                if (count > 0) {
                    lines.add(buffer, count).forEach(line -> onMessage.accept(ControlMessage.decode(line)));
                }
            }
        } catch (RuntimeException broken) {
            // a broken channel is as good as a closed one
        }
        onMasterGone.run();
    }
}
