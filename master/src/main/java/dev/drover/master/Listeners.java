package dev.drover.master;

import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The listening sockets the master binds for groups without {@code reusePort}, held for the
 * master's whole life so no connection waiting in an accept queue is lost when a worker goes.
 */
public final class Listeners implements AutoCloseable {
    /** Passed to listen(2); the kernel caps it at net.core.somaxconn. */
    public static final int BACKLOG = 65535;
    /**
     * Bytes per slot of a group's balance page. The first slot is the page's header: how many
     * worker slots follow that a worker has claimed (an int at 0, raised by each worker as it maps
     * the page). Worker {@code id}'s slot is the {@code id + 1}th: its open connections (an int at 0)
     * and when its acceptor last ran (a {@code System.nanoTime()} long at 8), written by it alone.
     */
    public static final int BALANCE_SLOT_BYTES = 16;
    /**
     * Workers a balance page has room for at least, so a group that {@code scale}, TTIN or the
     * application grows keeps balancing: 64 KiB of address space, of which the kernel backs only
     * the pages workers touch (the first 4 KiB hold the header and 255 workers).
     */
    public static final int BALANCE_MIN_WORKERS = 4095;

    private final Os os;
    private final Map<Integer, Integer> fdByGroup = new HashMap<>();
    private final Map<Integer, ListenAddress> boundByGroup = new HashMap<>();
    private final Map<Integer, Integer> balanceByGroup = new HashMap<>();
    /** Sockets a restart's old master passed on that its workers had bound themselves (listen()), until this master's workers take them. */
    private final List<Handover.Lent> lentByWorkers = new ArrayList<>();

    public Listeners(Os os) {
        this.os = os;
    }

    /** Binds the group's address; the bound address (with the kernel's port for port 0) is kept. */
    public void bind(GroupSpec group) {
        adopt(group, open(os, group.listen(), false));
    }

    /** Takes a listening socket opened elsewhere (systemd's socket activation) for the group. */
    public void adopt(GroupSpec group, int fd) {
        fdByGroup.put(group.index(), fd);
        boundByGroup.put(group.index(), group.listen().isUnix() ? group.listen() : group.listen().withPort(os.localAddress(fd).getPort()));
    }

    /**
     * Opens the socket an address names: a listening TCP socket, a bound UDP socket, or a listening
     * Unix socket. A stale socket file left at its path (a stream socket nobody accepts on:
     * ECONNREFUSED) is replaced; any other file there (a live socket, a FIFO, a device, a regular
     * file) is left alone, and the address is in use. Used by the master and, for reusePort and
     * {@code listen()}, by workers.
     */
    public static int open(Os os, ListenAddress address, boolean reusePort) {
        if (address.isUnix()) {
            Path path = Path.of(address.host());
            String kind = fileKind(path);
            if (kind != null) {
                String taken = kind.equals("socket") ? taken(os, path) : path + " is a " + kind;
                if (taken != null) {
                    throw OsException.addressInUse("bind", address + " (" + taken + ")");
                }
                try {
                    Files.delete(path); // a stale socket file: nobody accepts there
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot replace the old socket file " + path + ": " + FileErrors.why(e), e);
                }
            }
            return os.listenUnix(path, BACKLOG);
        }
        InetSocketAddress socketAddress = address.socketAddress();
        return address.isUdp() ? os.bindUdp(socketAddress, reusePort) : os.listenTcp(socketAddress, reusePort, BACKLOG);
    }

    /** What is at {@code path} (its link, not what it points to): "socket", "FIFO", ...; null for nothing. */
    private static String fileKind(Path path) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException none) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read what " + path + " is: " + FileErrors.why(e), e);
        }
        return switch (mode & 0170000) {
            case 0140000 -> "socket";
            case 0010000 -> "FIFO";
            case 0020000 -> "character device";
            case 0060000 -> "block device";
            case 0120000 -> "symbolic link";
            case 0040000 -> "directory";
            default -> "regular file";
        };
    }

    /**
     * Why the socket file at {@code path} is not a stale one to replace; null when it is, a stream
     * socket's that nobody accepts on any more (ECONNREFUSED).
     */
    private static String taken(Os os, Path path) {
        try {
            os.close(os.connectUnix(path));
            return "a process accepts connections there";
        } catch (OsException notStale) {
            // another errno (a datagram socket's EPROTOTYPE; EACCES, another user's file): not ours to remove
            return notStale.connectionRefused() ? null : notStale.getMessage();
        }
    }

    /** Every listener this master holds, by group index (for a successor). */
    public Map<Integer, Integer> byGroup() {
        return new java.util.TreeMap<>(fdByGroup);
    }

    /** Closes the listeners and the balance pages but leaves socket files to the successor that took them over. */
    public void closeHandedOver() {
        closeUntakenLent();
        fdByGroup.values().forEach(os::close);
        fdByGroup.clear();
        balanceByGroup.values().forEach(os::close);
        balanceByGroup.clear();
    }

    /** Keeps what the old master's workers lent (a restart's {@link Handover}) for this master's workers of the same group and id. */
    void adoptLent(List<Handover.Lent> lent) {
        lentByWorkers.addAll(lent);
    }

    /** The lent sockets of worker {@code id} of group {@code group}, by socket key, handed over to the caller. */
    Map<String, Integer> takeLent(int group, int id) {
        Map<String, Integer> taken = new LinkedHashMap<>();
        lentByWorkers.removeIf(lent -> lent.group() == group && lent.id() == id && taken.putIfAbsent(lent.key(), lent.fd()) == null);
        return taken;
    }

    /** Closes the lent sockets no worker slot took (the new code has fewer workers). */
    void closeUntakenLent() {
        lentByWorkers.forEach(lent -> os.close(lent.fd()));
        lentByWorkers.clear();
    }

    /** The listening descriptors the group's workers get, in order (none when it has no socket here). */
    public int[] fdsFor(GroupSpec group) {
        Integer fd = fdByGroup.get(group.index());
        return fd == null ? new int[0] : new int[] {fd};
    }

    /**
     * The group's balance page, made on the first ask: a memory file of a slot per worker, through
     * which workers sharing a listening socket take turns at a burst of connections; a group of one
     * gets one too, for the workers {@code scale} may add. -1 when the group has no socket here
     * (with {@code reusePort} the kernel spreads connections).
     */
    public int balanceFor(GroupSpec group) {
        if (!fdByGroup.containsKey(group.index())) {
            return -1;
        }
        return balanceByGroup.computeIfAbsent(group.index(),
                index -> os.sharedMemory("drover-balance-" + index, balanceBytes(group.count())));
    }

    /** A balance page's size for a group of {@code count}: the header and {@link #BALANCE_MIN_WORKERS} slots, or twice the count. */
    public static int balanceBytes(int count) {
        return (1 + (int) Math.max(BALANCE_MIN_WORKERS, Math.min(2L * count, Integer.MAX_VALUE / BALANCE_SLOT_BYTES - 1))) * BALANCE_SLOT_BYTES;
    }

    /** The address as bound: port 0 replaced by the kernel's choice. */
    public String addressOf(GroupSpec group) {
        ListenAddress bound = boundByGroup.get(group.index());
        return bound != null ? bound.toString() : group.listenText();
    }

    /** Closes every listener and removes the Unix socket files this master made. */
    @Override
    public void close() {
        closeHandedOver();
        for (ListenAddress bound : boundByGroup.values()) {
            if (bound.isUnix()) {
                try {
                    Files.deleteIfExists(Path.of(bound.host()));
                } catch (IOException ignored) {
                    // the next start replaces a stale socket file
                }
            }
        }
    }
}
