package dev.drover.master;

import dev.drover.master.os.Os;
import dev.drover.master.os.Received;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a running master hands its successor on {@code restart}: the pid file's lock (so the lock
 * is never free) and every listening socket it holds, by group index, in one message on fd 3:
 * {@code handoff G1 G2 ...} with SCM_RIGHTS carrying the lock, then the listeners in that order.
 * With sockets its workers lent it ({@link Lent}: what they bound themselves with listen()), the
 * line ends {@code lent=K}, and K messages follow, each the line {@code lent G ID KEY} (escaped
 * as a control message) with its socket attached.
 *
 * @param lockFd the descriptor holding the pid file's flock
 * @param listeners group index to listening descriptor
 * @param lent the workers' own listeners, for the successor's workers of the same group and id
 */
record Handover(int lockFd, Map<Integer, Integer> listeners, List<Lent> lent) {
    private static final String LENT_COUNT = "lent=";

    /** A listening socket worker {@code id} of group {@code group} bound itself, of socket key {@code key}. */
    record Lent(int group, int id, String key, int fd) {}

    void send(Os os, int socket) {
        StringBuilder line = new StringBuilder("handoff");
        int[] fds = new int[1 + listeners.size()];
        fds[0] = lockFd;
        int i = 1;
        for (Map.Entry<Integer, Integer> listener : listeners.entrySet()) {
            line.append(' ').append(listener.getKey());
            fds[i++] = listener.getValue();
        }
        if (!lent.isEmpty()) {
            line.append(' ').append(LENT_COUNT).append(lent.size());
        }
        os.sendWithFds(socket, (line + "\n").getBytes(StandardCharsets.US_ASCII), fds);
        for (Lent socketLent : lent) {
            String argument = socketLent.group() + " " + socketLent.id() + " " + socketLent.key();
            os.sendWithFds(socket, ControlMessage.of(ControlMessage.LENT, argument).encode(), new int[] {socketLent.fd()});
        }
    }

    static Handover receive(Os os, int socket) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] fds = new int[0];
        while (!bytes.toString(StandardCharsets.US_ASCII).contains("\n")) {
            Received received = receiveSome(os, socket);
            bytes.writeBytes(received.data());
            int[] more = received.fds();
            fds = Arrays.copyOf(fds, fds.length + more.length);
            System.arraycopy(more, 0, fds, fds.length - more.length, more.length);
        }
        List<String> words = new ArrayList<>(List.of(bytes.toString(StandardCharsets.US_ASCII).trim().split(" ")));
        int lentCount = words.get(words.size() - 1).startsWith(LENT_COUNT)
                ? Integer.parseInt(words.remove(words.size() - 1).substring(LENT_COUNT.length())) : 0;
        if (!words.get(0).equals("handoff") || fds.length != words.size()) {
            throw new IllegalStateException("unexpected handover: '" + String.join(" ", words) + "' with " + fds.length + " descriptors");
        }
        Map<Integer, Integer> listeners = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            listeners.put(Integer.parseInt(words.get(i)), fds[i]);
        }
        List<Lent> lent = new ArrayList<>();
        for (int i = 0; i < lentCount; i++) {
            lent.add(receiveLent(os, socket));
        }
        return new Handover(fds[0], listeners, lent);
    }

    /** One {@code lent G ID KEY} line with its socket (a message with descriptors is read alone). */
    private static Lent receiveLent(Os os, int socket) {
        Received received = receiveSome(os, socket);
        String line = new String(received.data(), StandardCharsets.UTF_8);
        ControlMessage message = line.endsWith("\n") ? ControlMessage.decode(line.substring(0, line.length() - 1)) : null;
        String[] words = message == null ? new String[0] : message.argument().split(" ", 3);
        if (message == null || !message.type().equals(ControlMessage.LENT) || words.length != 3 || received.fds().length != 1) {
            Arrays.stream(received.fds()).forEach(os::close);
            throw new IllegalStateException("unexpected lent socket in the handover: '" + line.trim() + "' with "
                    + received.fds().length + " descriptors");
        }
        return new Lent(Integer.parseInt(words[0]), Integer.parseInt(words[1]), words[2], received.fds()[0]);
    }

    private static Received receiveSome(Os os, int socket) {
        Received received;
        do {
            received = os.receiveWithFds(socket, 4096, 256);
        } while (received.wouldBlock()); // interrupted (the socket blocks)
        if (received.endOfStream()) {
            throw new IllegalStateException("the old master closed the handover before sending its sockets");
        }
        return received;
    }
}
