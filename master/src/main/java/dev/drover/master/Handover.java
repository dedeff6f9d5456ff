package dev.drover.master;

import dev.drover.master.os.Os;
import dev.drover.master.os.Received;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a running master hands its successor on {@code restart}: the pid file's lock (so the lock
 * is never free) and every listening socket it holds, by group index, in one message on fd 3:
 * {@code handoff G1 G2 ...} with SCM_RIGHTS carrying the lock, then the listeners in that order.
 *
 * @param lockFd the descriptor holding the pid file's flock
 * @param listeners group index to listening descriptor
 */
record Handover(int lockFd, Map<Integer, Integer> listeners) {

    void send(Os os, int socket) {
        StringBuilder line = new StringBuilder("handoff");
        int[] fds = new int[1 + listeners.size()];
        fds[0] = lockFd;
        int i = 1;
        for (Map.Entry<Integer, Integer> listener : listeners.entrySet()) {
            line.append(' ').append(listener.getKey());
            fds[i++] = listener.getValue();
        }
        os.sendWithFds(socket, (line + "\n").getBytes(StandardCharsets.US_ASCII), fds);
    }

    static Handover receive(Os os, int socket) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] fds = new int[0];
        while (!bytes.toString(StandardCharsets.US_ASCII).contains("\n")) {
            Received received = os.receiveWithFds(socket, 4096, 256);
            if (received.endOfStream()) {
                throw new IllegalStateException("the old master closed the handover before sending its sockets");
            }
            bytes.writeBytes(received.data());
            int[] more = received.fds();
            fds = Arrays.copyOf(fds, fds.length + more.length);
            System.arraycopy(more, 0, fds, fds.length - more.length, more.length);
        }
        String[] words = bytes.toString(StandardCharsets.US_ASCII).trim().split(" ");
        if (!words[0].equals("handoff") || fds.length != words.length) {
            throw new IllegalStateException("unexpected handover: '" + String.join(" ", words) + "' with " + fds.length + " descriptors");
        }
        Map<Integer, Integer> listeners = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            listeners.put(Integer.parseInt(words[i]), fds[i]);
        }
        return new Handover(fds[0], listeners);
    }
}
