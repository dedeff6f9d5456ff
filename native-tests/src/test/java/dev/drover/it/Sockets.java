package dev.drover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Listening TCP sockets, receive queues and socket inodes, read from /proc. */
final class Sockets {
    private Sockets() {}

    /** Inodes of the sockets listening on {@code port} (IPv4 and IPv6). */
    static Set<String> listeningInodes(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals("0A") && f[1].endsWith(String.format(":%04X", port))) {
                        inodes.add(f[9]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return inodes;
    }

    /**
     * What the kernel holds for the established TCP connection from local port {@code port} to
     * remote port {@code peerPort}: {@code {bytes not yet acknowledged by the peer (Send-Q), bytes
     * not yet read (Recv-Q)}}, or null when there is no such connection.
     */
    static long[] queues(int port, int peerPort) {
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 4 && f[3].equals("01") && f[1].endsWith(String.format(":%04X", port))
                            && f[2].endsWith(String.format(":%04X", peerPort))) {
                        String[] q = f[4].split(":");
                        return new long[] {Long.parseLong(q[0], 16), Long.parseLong(q[1], 16)};
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
    }

    /** Inodes of every socket the process holds. */
    static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        for (String target : Processes.fdTargets(pid)) {
            int at = target.indexOf("socket:[");
            if (at >= 0) {
                inodes.add(target.substring(at + 8, target.indexOf(']', at)));
            }
        }
        return inodes;
    }

    /**
     * For every established TCP connection to remote port {@code peerPort}, the seconds left on its
     * keepalive timer, or -1 for one whose timer is not keepalive's (/proc/net/tcp's {@code tr} 2,
     * {@code tm->when} in clock ticks of 1/100 s).
     */
    static java.util.List<Long> keepaliveSeconds(int peerPort) {
        java.util.List<Long> timers = new java.util.ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 5 && f[3].equals("01") && f[2].endsWith(String.format(":%04X", peerPort))) {
                        String[] timer = f[5].split(":");
                        timers.add(timer[0].equals("02") ? Long.parseLong(timer[1], 16) / 100 : -1);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return timers;
    }
}
