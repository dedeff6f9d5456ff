package dev.drover.master;

import dev.drover.master.os.Os;
import java.io.PrintStream;
import java.time.Duration;

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

    private final Os os;
    private int fd;

    public Reply(Os os, int fd) {
        this.os = os;
        this.fd = fd;
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

    /** Sends the exit code and closes the connection. */
    public void exit(int code) {
        send(ControlMessage.of("exit", Integer.toString(code)));
        close();
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
        try {
            int offset = 0;
            while (offset < bytes.length) {
                int written = os.write(fd, bytes, offset, bytes.length - offset);
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
     * returns the exit code, -1 when the connection ended without one, or {@link #TIMED_OUT}.
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
