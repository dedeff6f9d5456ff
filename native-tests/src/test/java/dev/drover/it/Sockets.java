package dev.drover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Listening TCP sockets and socket inodes, read from /proc. */
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
}
