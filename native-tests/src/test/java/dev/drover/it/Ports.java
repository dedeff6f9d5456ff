package dev.drover.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports for tests that cannot let the kernel choose inside drover (reusePort binds in each worker,
 * addresses several processes must agree on). They come from below the kernel's ephemeral range
 * (ip_local_port_range), which the kernel's own choices (bind to port 0, the source ports of the
 * thousands of client connections parallel tests open) never use: a port handed out here stays
 * free until the test binds it. Handed out in turn from a random start, each checked bindable.
 */
final class Ports {
    private static final int FIRST = 10_000;
    private static final int END = ephemeralStart();
    private static final java.util.concurrent.atomic.AtomicInteger NEXT =
            new java.util.concurrent.atomic.AtomicInteger(new java.util.Random().nextInt(END - FIRST));

    private Ports() {}

    static int free() {
        for (int tries = 0; tries < END - FIRST; tries++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), END - FIRST);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + FIRST + "-" + (END - 1));
    }

    private static int ephemeralStart() {
        try {
            String range = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > FIRST + 1000 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /** Whether a new listener can bind the port right now. */
    static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
