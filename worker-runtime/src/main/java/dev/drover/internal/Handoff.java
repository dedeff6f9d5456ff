package dev.drover.internal;

import dev.drover.master.ControlMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The master's first message on the control channel: the line {@code listen N} or {@code listen N
 * balance}, then N one-byte messages with one listening socket attached to each (SCM_RIGHTS), and
 * after {@code balance} one more with the group's balance page ({@link AcceptBalance}). A worker
 * whose slot's earlier worker bound sockets itself (a respawn, a reload's replacement, a restart's
 * new worker) gets {@code lent K} at the end of the line too: after those, K times the line
 * {@code lent KEY} and a one-byte message with the socket of that socket key
 * ({@code ListenAddress.socketKey}), for its {@code listen()} to take.
 *
 * @param balanceFd the balance page's descriptor, -1 without one
 * @param lent the lent listening sockets by socket key
 */
record Handoff(int[] listenFds, int balanceFd, Map<String, Integer> lent) {
    /** Longer than any {@code listen N} line. */
    private static final int MAX_LINE = 64;
    /** Longer than any {@code lent KEY} line (a Unix socket's path is at most 108 bytes). */
    private static final int MAX_LENT_LINE = 512;

    /** Blocks until the handoff arrived on {@code channel}. */
    static Handoff receive(ControlSocket channel) {
        String line = line(channel, MAX_LINE);
        ControlMessage first = ControlMessage.decode(line);
        if (!first.type().equals(ControlMessage.LISTEN)) {
            throw unexpected(line);
        }
        List<String> words = new ArrayList<>(List.of(first.argument().split(" ")));
        int lentCount = 0;
        if (words.size() >= 3 && words.get(words.size() - 2).equals(ControlMessage.LENT)) {
            lentCount = parseCount(words.remove(words.size() - 1), line);
            words.remove(words.size() - 1);
        }
        boolean balanced = words.size() == 2 && words.get(1).equals(ControlMessage.BALANCE);
        if (words.size() > 2 || words.size() == 2 && !balanced) {
            throw unexpected(line);
        }
        int[] fds = new int[parseCount(words.get(0), line)];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = receiveFd(channel);
        }
        int balanceFd = balanced ? receiveFd(channel) : -1;
        Map<String, Integer> lent = new HashMap<>();
        for (int i = 0; i < lentCount; i++) {
            String lentLine = line(channel, MAX_LENT_LINE);
            ControlMessage socket = ControlMessage.decode(lentLine);
            if (!socket.type().equals(ControlMessage.LENT)) {
                throw unexpected(lentLine);
            }
            lent.put(socket.argument(), receiveFd(channel));
        }
        return new Handoff(fds, balanceFd, lent);
    }

    private static int parseCount(String word, String line) {
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw unexpected(line);
        }
    }

    private static IllegalStateException unexpected(String line) {
        return new IllegalStateException("unexpected handoff from the master: '" + line + "'");
    }

    private static int receiveFd(ControlSocket channel) {
        int fd = channel.receiveFd();
        if (fd < 0) {
            throw closedEarly();
        }
        return fd;
    }

    /** A line, read a byte at a time: a longer read could swallow a descriptor's message (and close the descriptor). */
    private static String line(ControlSocket channel, int max) {
        byte[] line = new byte[max];
        byte[] one = new byte[1];
        for (int length = 0; length < max; length++) {
            if (channel.read(one) < 0) {
                throw closedEarly();
            }
            if (one[0] == '\n') {
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            line[length] = one[0];
        }
        throw new IllegalStateException("unexpected handoff from the master: no line end in its first " + max + " bytes");
    }

    private static IllegalStateException closedEarly() {
        return new IllegalStateException("the master closed the control channel before handing over the sockets");
    }
}
