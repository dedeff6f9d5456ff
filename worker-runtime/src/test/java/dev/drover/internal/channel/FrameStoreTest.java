package dev.drover.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FrameStoreTest {

    /**
     * A command right after a timeout closed the connection (before its reader saw the close) opens
     * a new one: it was written to the closed socket and failed with "Socket closed".
     */
    @Test
    void aCommandRightAfterTheTimeoutsCloseConnectsAgain() throws Exception {
        BlockingQueue<String> accepted = new LinkedBlockingQueue<>();
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(server.accept()); // and never answered
                        accepted.add("accepted " + held.size());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            FrameStore store = new FrameStore(ServerAddress.parse("127.0.0.1:" + server.getLocalPort()), 5000);
            CompletableFuture<String> first = store.call(StoreOp.GET, List.of("k"));
            assertEquals("accepted 1", accepted.poll(10, TimeUnit.SECONDS));
            for (int i = 0; i < 20; i++) { // each time: the close, and at once a command
                store.gaveUp(0);
                CompletableFuture<String> next = store.call(StoreOp.GET, List.of("k" + i));
                assertFalse(next.isCompletedExceptionally(), () -> "failed: " + next.handle((v, e) -> e).join());
                assertEquals("accepted " + (i + 2), accepted.poll(10, TimeUnit.SECONDS));
            }
            assertTrue(first.isCompletedExceptionally(), "the command on the closed connection failed");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
