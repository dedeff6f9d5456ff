package dev.drover.master;

import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The master's end of the operator socket ({@code <pid file>.sock}): accepts CLI connections of the
 * same user (or root), reads each one's command line and hands it to the arbiter with a
 * {@link Reply} for the answer. Driven by the arbiter's poll loop: never blocks.
 */
final class OperatorSocket {
    /**
     * A CLI's connection, equal only to itself. Not a record: the first {@code equals} of a record
     * (here {@code connections.remove}) links its generated methods, ~45 ms of a master's CPU on
     * Java 17, paid by the first command the master answered.
     */
    private static final class Connection {
        private final int fd;
        private final LineBuffer lines;
        private final Reply reply;

        Connection(int fd, LineBuffer lines, Reply reply) {
            this.fd = fd;
            this.lines = lines;
            this.reply = reply;
        }

        int fd() {
            return fd;
        }

        LineBuffer lines() {
            return lines;
        }

        Reply reply() {
            return reply;
        }
    }

    private final Os os;
    private final int listener;
    private final List<Connection> connections = new ArrayList<>();
    private List<Connection> polled = List.of();

    OperatorSocket(Os os, int listener) {
        this.os = os;
        this.listener = listener;
    }

    /** The descriptors to poll: the listener, then every connection still to be read. */
    List<Integer> pollFds() {
        polled = List.copyOf(connections);
        List<Integer> fds = new ArrayList<>();
        fds.add(listener);
        polled.forEach(c -> fds.add(c.fd()));
        return fds;
    }

    /** Handles what poll found ready, in the order of {@link #pollFds}. */
    void handle(boolean[] ready, int offset, BiConsumer<String, Reply> command) {
        for (int i = 0; i < polled.size(); i++) {
            if (ready[offset + 1 + i]) {
                read(polled.get(i), command);
            }
        }
        if (ready[offset]) {
            accept();
        }
    }

    private void accept() {
        int fd;
        while ((fd = acceptOne()) >= 0) {
            // Answers never block the loop: what the socket does not take waits for its reader (Reply.toOperator).
            Reply reply = Reply.toOperator(os, fd);
            int uid = os.peerUid(fd);
            if (uid != 0 && uid != os.geteuid()) {
                reply.err("drover: uid " + uid + " may not command this master (it runs as uid " + os.geteuid() + ")");
                reply.exit(ExitCodes.FAILED);
                continue;
            }
            connections.add(new Connection(fd, new LineBuffer(4096), reply));
        }
    }

    /** One connection, or -1 for none now; out of descriptors and the like only skip this round. */
    private int acceptOne() {
        try {
            return os.accept(listener);
        } catch (OsException e) {
            System.err.println("drover: operator socket: " + e.getMessage());
            return -1;
        }
    }

    private void read(Connection connection, BiConsumer<String, Reply> command) {
        byte[] buffer = new byte[4096];
        List<String> lines;
        int count;
        try {
            count = os.read(connection.fd(), buffer);
            lines = count > 0 ? connection.lines().add(buffer, count) : List.of();
        } catch (RuntimeException bad) {
            count = 0;
            lines = List.of();
        }
        if (count == 0) {
            connections.remove(connection);
            connection.reply().close();
        } else if (!lines.isEmpty()) {
            connections.remove(connection);
            command.accept(lines.get(0).trim(), connection.reply());
        }
    }

    void close() {
        connections.forEach(c -> c.reply().close());
        connections.clear();
        os.close(listener);
    }
}
