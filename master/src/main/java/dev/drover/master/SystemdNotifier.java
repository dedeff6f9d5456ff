package dev.drover.master;

import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import java.nio.charset.StandardCharsets;

/**
 * systemd's notify protocol ({@code Type=notify}): datagrams to {@code $NOTIFY_SOCKET} saying
 * READY=1, RELOADING=1, STOPPING=1, STATUS=..., WATCHDOG=1. Does nothing without the variable.
 */
final class SystemdNotifier {
    private final Os os;
    private final String socket;
    private final long watchdogMicros;

    SystemdNotifier(Os os) {
        this.os = os;
        this.socket = System.getenv("NOTIFY_SOCKET");
        long watchdog = 0;
        String usec = System.getenv("WATCHDOG_USEC");
        String pid = System.getenv("WATCHDOG_PID");
        if (usec != null && (pid == null || pid.equals(Integer.toString(os.getpid())))) {
            try {
                watchdog = Long.parseLong(usec);
            } catch (NumberFormatException ignored) {
                watchdog = 0;
            }
        }
        this.watchdogMicros = watchdog;
    }

    boolean enabled() {
        return socket != null && !socket.isEmpty();
    }

    /** How often to send WATCHDOG=1 (half of WATCHDOG_USEC), in nanoseconds; 0 when systemd does not watch. */
    long watchdogIntervalNanos() {
        return enabled() ? watchdogMicros * 1000 / 2 : 0;
    }

    /** READY=1, with MAINPID (a daemon master is not the process systemd started). */
    void ready(String status) {
        send("READY=1\nMAINPID=" + os.getpid() + "\nSTATUS=" + status);
    }

    /** RELOADING=1 with the monotonic time systemd wants (System.nanoTime is CLOCK_MONOTONIC on Linux). */
    void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000 + "\nSTATUS=reloading");
    }

    void stopping() {
        send("STOPPING=1\nSTATUS=stopping");
    }

    void watchdog() {
        send("WATCHDOG=1");
    }

    void status(String status) {
        send("STATUS=" + status);
    }

    private void send(String message) {
        if (!enabled()) {
            return;
        }
        try {
            os.sendDatagram(socket, message.getBytes(StandardCharsets.UTF_8));
        } catch (OsException e) {
            System.err.println("drover: cannot notify systemd at " + socket + ": " + e.getMessage());
        }
    }
}
