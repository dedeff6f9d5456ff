package dev.drover.internal;

import dev.drover.master.ControlMessage;
import java.nio.charset.StandardCharsets;

/**
 * The master's first message on the control channel: the line {@code listen N} or {@code listen N
 * balance}, then N one-byte messages with one listening socket attached to each (SCM_RIGHTS), and
 * after {@code balance} one more with the group's balance page ({@link AcceptBalance}).
 *
 * @param balanceFd the balance page's descriptor, -1 without one
 */
record Handoff(int[] listenFds, int balanceFd) {
    /** Longer than any {@code listen N} line. */
    private static final int MAX_LINE = 64;

    /** Blocks until the handoff arrived on {@code channel}. */
    static Handoff receive(ControlSocket channel) {
        String line = firstLine(channel);
        ControlMessage first = ControlMessage.decode(line);
        if (!first.type().equals(ControlMessage.LISTEN)) {
            throw new IllegalStateException("unexpected handoff from the master: '" + line + "'");
        }
        String[] words = first.argument().split(" ");
        boolean balanced = words.length == 2 && words[1].equals(ControlMessage.BALANCE);
        if (words.length > 2 || words.length == 2 && !balanced) {
            throw new IllegalStateException("unexpected handoff from the master: '" + line + "'");
        }
        int[] fds = new int[Integer.parseInt(words[0])];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = receiveFd(channel);
        }
        return new Handoff(fds, balanced ? receiveFd(channel) : -1);
    }

    private static int receiveFd(ControlSocket channel) {
        int fd = channel.receiveFd();
        if (fd < 0) {
            throw closedEarly();
        }
        return fd;
    }

    /** The line, read a byte at a time: a longer read could swallow a descriptor's message (and close the descriptor). */
    private static String firstLine(ControlSocket channel) {
        byte[] line = new byte[MAX_LINE];
        byte[] one = new byte[1];
        for (int length = 0; length < MAX_LINE; length++) {
            if (channel.read(one) < 0) {
                throw closedEarly();
            }
            if (one[0] == '\n') {
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            line[length] = one[0];
        }
        throw new IllegalStateException("unexpected handoff from the master: no line end in its first " + MAX_LINE + " bytes");
    }

    private static IllegalStateException closedEarly() {
        return new IllegalStateException("the master closed the control channel before handing over the sockets");
    }
}
