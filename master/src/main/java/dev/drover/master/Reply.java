package dev.drover.master;

import dev.drover.master.os.Os;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers to a command, on the operator socket or on a starting daemon's report socket.
 *
 * <h2>Wire format</h2>
 * The client sends one line: the command and its options separated by spaces, e.g.
 * {@code status --json}. The master answers lines {@code out TEXT} (for stdout), {@code err TEXT}
 * (for stderr), then {@code exit N} with the command's exit code, and closes. TEXT is escaped as
 * in {@link ControlMessage}. A daemon the CLI started without a socket pair ({@link DaemonStart})
 * reports the same lines on what was its stdout, a pipe to the CLI.
 */
public final class Reply {
    /** What {@link #relay} returns when no exit code came in time. */
    public static final int TIMED_OUT = -2;
    /** How long an operator's reply that did not fit in its socket may take its reader in all, before it is cut. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** Replies still being written by a thread of their own ({@link #drainInBackground}). */
    private static final Set<Thread> DRAINING = ConcurrentHashMap.newKeySet();

    private final Os os;
    private int fd;
    /** An operator's reply: written without blocking the master's loop ({@link #toOperator}). */
    private final boolean nonBlocking;
    /** What the operator's socket did not take yet, in order; null while everything went out. */
    private ByteArrayOutputStream backlog;

    /** A reply written blocking, as the socket's send timeout allows (a starting daemon's report). */
    public Reply(Os os, int fd) {
        this(os, fd, false);
    }

    private Reply(Os os, int fd, boolean nonBlocking) {
        this.os = os;
        this.fd = fd;
        this.nonBlocking = nonBlocking;
    }

    /**
     * A reply on an operator's connection, which never blocks the master's loop: what the socket
     * does not take at once waits in memory, and once the reply is whole a thread of its own
     * writes it, for up to {@link #DRAIN_TIMEOUT}. A reader that takes a long list slowly
     * ({@code connections | less}) gets all of it; the master answered the others meanwhile.
     */
    static Reply toOperator(Os os, int fd) {
        return new Reply(os, fd, true); // accepted non-blocking (Os.accept)
    }

    /** A reply that goes nowhere, for commands from signals and from code. */
    public static Reply none(Os os) {
        return new Reply(os, -1);
    }

    public void out(String text) {
        send(ControlMessage.of("out", text));
    }

    public void err(String text) {
        send(ControlMessage.of("err", text));
    }

    /** Sends the exit code and closes the connection (once what waits for its reader went out). */
    public void exit(int code) {
        send(ControlMessage.of("exit", Integer.toString(code)));
        if (backlog != null && fd >= 0) {
            drainInBackground();
        } else {
            close();
        }
    }

    /** Hands what waits to a thread that writes it, blocking, then closes; this reply is done. */
    private void drainInBackground() {
        int socket = fd;
        byte[] rest = backlog.toByteArray();
        fd = -1;
        backlog = null;
        Thread drain = new Thread(() -> {
            try {
                os.setNonBlocking(socket, false);
                os.setSendTimeout(socket, 1000);
                long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
                for (int offset = 0; offset < rest.length && System.nanoTime() - deadline < 0; ) {
                    int written = os.write(socket, rest, offset, rest.length - offset);
                    offset += Math.max(written, 0); // -1: the send timeout passed, nothing taken
                }
            } catch (RuntimeException gone) {
                // the reader left: nothing more to write
            } finally {
                os.close(socket);
                DRAINING.remove(Thread.currentThread());
            }
        }, "drover-reply");
        drain.setDaemon(true);
        DRAINING.add(drain);
        drain.start();
    }

    /**
     * Waits up to {@code most} for the replies still being written, before the process exits: a
     * stop's or a restart's last answer, with its exit line, reaches the operator.
     */
    public static void finishDrains(Duration most) {
        long deadline = System.nanoTime() + most.toNanos();
        for (Thread drain : DRAINING) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            try {
                drain.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public boolean isOpen() {
        return fd >= 0;
    }

    public void close() {
        if (fd >= 0) {
            os.close(fd);
            fd = -1;
        }
    }

    private void send(ControlMessage message) {
        if (fd < 0) {
            return;
        }
        byte[] bytes = message.encode();
        if (backlog != null) {
            backlog.writeBytes(bytes); // behind what already waits
            return;
        }
        try {
            int offset = 0;
            while (offset < bytes.length) {
                int written = os.write(fd, bytes, offset, bytes.length - offset);
                if (written < 0 && nonBlocking) { // the socket is full: the rest waits (exit hands it on)
                    backlog = new ByteArrayOutputStream();
                    backlog.write(bytes, offset, bytes.length - offset);
                    return;
                }
                if (written < 0) {
                    close(); // a client that did not read its answer within the send timeout loses it
                    return;
                }
                offset += written;
            }
        } catch (RuntimeException gone) {
            close();
        }
    }

    /**
     * Reads a reply from {@code fd} to its end, printing {@code out} and {@code err} lines;
     * returns the exit code, -1 when the connection ended without one, or {@link #TIMED_OUT} when
     * nothing came for {@code timeout} (a long list read slowly, into a pager, is not cut).
     */
    public static int relay(Os os, int fd, PrintStream out, PrintStream err, Duration timeout) {
        LineBuffer lines = new LineBuffer(WorkerProcess.MAX_LINE);
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return TIMED_OUT;
            }
            if (os.poll(new int[] {fd}, new boolean[1], (int) Math.min(left, Integer.MAX_VALUE)) == 0) {
                continue;
            }
            int count = os.read(fd, buffer);
            if (count == 0) {
                return -1;
            }
            if (count < 0) {
                continue;
            }
            deadline = System.nanoTime() + timeout.toNanos();
            for (String line : lines.add(buffer, count)) {
                Integer code = print(line, out, err);
                if (code != null) {
                    return code;
                }
            }
        }
    }

    /** Prints one reply line where it belongs; returns the exit code when it is the {@code exit} line, else null. */
    static Integer print(String line, PrintStream out, PrintStream err) {
        ControlMessage message = ControlMessage.decode(line);
        switch (message.type()) {
            case "out" -> out.println(message.argument());
            case "err" -> err.println(message.argument());
            case "exit" -> {
                return Integer.parseInt(message.argument());
            }
            default -> err.println("drover: unexpected answer line: " + line);
        }
        return null;
    }
}
