package dev.drover.internal;

import dev.drover.master.ControlMessage;
import dev.drover.master.LineBuffer;
import java.util.function.Consumer;

/**
 * Reads the master's messages (blocking reads of fd 3) on the worker's main thread, which has
 * nothing else to do once the loop runs (a thread of its own was ~0.1 MiB of every worker), and
 * hands each to the event loop. End of stream means the master is gone: the worker stops at once
 * (unless the worker itself ended the reading as it exits, {@link ControlSocket#shutdownInput}).
 */
final class ControlReader implements Runnable {
    private final ControlSocket channel;
    private final Consumer<ControlMessage> onMessage;
    private final Runnable onMasterGone;

    ControlReader(ControlSocket channel, Consumer<ControlMessage> onMessage, Runnable onMasterGone) {
        this.channel = channel;
        this.onMessage = onMessage;
        this.onMasterGone = onMasterGone;
    }

    @Override
    public void run() {
        LineBuffer lines = new LineBuffer(1 << 20);
        byte[] buffer = new byte[4096];
        try {
            int count;
            while ((count = channel.read(buffer)) > 0) {
                lines.add(buffer, count).forEach(line -> onMessage.accept(ControlMessage.decode(line)));
            }
        } catch (RuntimeException broken) {
            // a broken channel is as good as a closed one
        }
        if (!channel.inputShut()) {
            onMasterGone.run();
        }
    }
}
