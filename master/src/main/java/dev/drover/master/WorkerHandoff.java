package dev.drover.master;

import dev.drover.master.os.Os;
import java.util.Map;

/**
 * The master's first message to a new worker, on its (still blocking) control channel: the line
 * {@code listen N} (or {@code listen N balance}), then each listening socket, and the group's
 * balance page if it has one, attached to a one-byte message of its own, which the worker
 * receives with Netty's native recvFd, so its start needs no other native library. With sockets
 * the slot's earlier workers bound themselves and lent the master ({@link Slot#lent}) the line
 * ends {@code lent K}, and each follows as the line {@code lent KEY} and its own one-byte message.
 * The worker's side is {@code dev.drover.internal.Handoff}.
 */
public final class WorkerHandoff {
    private WorkerHandoff() {}

    public static void send(Os os, int channel, int[] fds, int balance, Map<String, Integer> lent) {
        String count = Integer.toString(fds.length);
        String line = (balance < 0 ? count : count + " " + ControlMessage.BALANCE)
                + (lent.isEmpty() ? "" : " " + ControlMessage.LENT + " " + lent.size());
        os.sendWithFds(channel, ControlMessage.of(ControlMessage.LISTEN, line).encode(), new int[0]);
        for (int fd : fds) {
            os.sendWithFds(channel, new byte[] {0}, new int[] {fd});
        }
        if (balance >= 0) {
            os.sendWithFds(channel, new byte[] {0}, new int[] {balance});
        }
        for (Map.Entry<String, Integer> socket : lent.entrySet()) {
            os.sendWithFds(channel, ControlMessage.of(ControlMessage.LENT, socket.getKey()).encode(), new int[0]);
            os.sendWithFds(channel, new byte[] {0}, new int[] {socket.getValue()});
        }
    }
}
