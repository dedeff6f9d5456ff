package dev.drover.internal.channel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sessions in a Redis that accepts connections and never answers (stopped, say, or a wrong port's server). */
@Timeout(60)
class RedisSessionsTest {
    /**
     * The first call waits its connect timeout and fails, naming the address; while Redis stays
     * away, the next ones wait WAIT_WHILE_DOWN for a connection, not the whole timeout again: each
     * holds its worker's loop.
     */
    @Test
    void whileRedisIsDownACallWaitsBriefly() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never a byte back
                    }
                } catch (Exception closed) {
                    // the test ended
                }
            });
            acceptor.start();
            String address = "redis://127.0.0.1:" + silent.getLocalPort();
            RedisSessions sessions = new RedisSessions(ServerAddress.parse(address), "s:", Duration.ofMillis(300));
            UncheckedIOException first = assertThrows(UncheckedIOException.class, () -> sessions.read("a".repeat(32), Duration.ofMinutes(1)));
            assertTrue(first.getMessage().startsWith("cannot read a session in " + address + " ("), first.getMessage());
            long start = System.nanoTime();
            UncheckedIOException next = assertThrows(UncheckedIOException.class, () -> sessions.read("a".repeat(32), Duration.ofMinutes(1)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(next.getMessage().contains("(no connection within " + RedisSessions.WAIT_WHILE_DOWN.toMillis() + " ms)"), next.getMessage());
            assertTrue(millis < RedisLink.CONNECT_TIMEOUT.toMillis() / 2, "the next call did not wait the connect timeout again: " + millis + " ms");
            silent.close();
            acceptor.join(5000);
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
