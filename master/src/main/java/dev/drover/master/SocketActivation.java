package dev.drover.master;

import dev.drover.master.os.Os;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * systemd socket activation: listening sockets passed as fds 3, 4, ... with {@code LISTEN_PID}
 * (this process), {@code LISTEN_FDS} (how many) and {@code LISTEN_FDNAMES} (their names). A group
 * uses a passed socket whose name is the group's name, or whose address is the group's, instead
 * of binding one.
 */
final class SocketActivation {
    private static final int FIRST_FD = 3;

    /** One socket systemd passed. */
    record Passed(int fd, String name, InetSocketAddress address) {}

    private final List<Passed> passed = new ArrayList<>();

    SocketActivation(Os os) {
        String pid = System.getenv("LISTEN_PID");
        String count = System.getenv("LISTEN_FDS");
        if (pid == null || count == null || !pid.equals(Integer.toString(os.getpid()))) {
            return;
        }
        String[] names = System.getenv().getOrDefault("LISTEN_FDNAMES", "").split(":");
        for (int i = 0; i < Integer.parseInt(count); i++) {
            int fd = FIRST_FD + i;
            InetSocketAddress address;
            try {
                address = os.localAddress(fd);
            } catch (RuntimeException notInet) {
                address = null; // a Unix socket, say: usable by name only
            }
            os.setNonBlocking(fd, true);
            passed.add(new Passed(fd, i < names.length ? names[i] : "", address));
        }
    }

    boolean active() {
        return !passed.isEmpty();
    }

    /** The passed socket for {@code group}: by name first, then by address; -1 when none fits. */
    int claim(GroupSpec group) {
        for (Passed socket : passed) {
            if (socket.name().equals(group.name())) {
                passed.remove(socket);
                return socket.fd();
            }
        }
        if (group.listen() == null || group.listen().isUnix()) {
            return -1;
        }
        InetSocketAddress wanted = group.listen().socketAddress();
        for (Passed socket : passed) {
            if (socket.address() != null && socket.address().getPort() == wanted.getPort()
                    && (wanted.getAddress().isAnyLocalAddress() || socket.address().getAddress().equals(wanted.getAddress()))) {
                passed.remove(socket);
                return socket.fd();
            }
        }
        return -1;
    }
}
