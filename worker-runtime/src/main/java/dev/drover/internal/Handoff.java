package dev.drover.internal;

import dev.drover.master.ControlMessage;
import dev.drover.master.os.Os;
import dev.drover.master.os.Received;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The master's first message on the control channel, {@code listen N} with N listening sockets
 * attached, and whatever bytes came after it in the same read.
 */
record Handoff(int[] listenFds, byte[] rest) {

    /** Blocks until the handoff arrived on {@code fd}. */
    static Handoff receive(Os os, int fd) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] fds = new int[0];
        while (true) {
            Received received = os.receiveWithFds(fd, 4096, 16);
            if (received.endOfStream()) {
                throw new IllegalStateException("the master closed the control channel before handing over the sockets");
            }
            bytes.writeBytes(received.data());
            int[] more = received.fds();
            fds = Arrays.copyOf(fds, fds.length + more.length);
            System.arraycopy(more, 0, fds, fds.length - more.length, more.length);
            byte[] all = bytes.toByteArray();
            for (int i = 0; i < all.length; i++) {
                if (all[i] == '\n') {
                    ControlMessage first = ControlMessage.decode(new String(all, 0, i, StandardCharsets.UTF_8));
                    if (!first.type().equals(ControlMessage.LISTEN) || Integer.parseInt(first.argument()) != fds.length) {
                        throw new IllegalStateException("unexpected handoff from the master: '" + first.type() + " "
                                + first.argument() + "' with " + fds.length + " descriptors");
                    }
                    return new Handoff(fds, Arrays.copyOfRange(all, i + 1, all.length));
                }
            }
        }
    }
}
