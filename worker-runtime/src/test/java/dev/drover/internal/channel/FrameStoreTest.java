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
        try (SilentServer server = new SilentServer()) {
            BlockingQueue<String> accepted = server.accepted;
            FrameStore store = new FrameStore(ServerAddress.parse("127.0.0.1:" + server.socket.getLocalPort()), 5000);
            CompletableFuture<String> first = store.call(StoreOp.GET, List.of("k"));
            assertEquals("accepted 1", accepted.poll(10, TimeUnit.SECONDS));
            CompletableFuture<String> pending = first;
            for (int i = 0; i < 20; i++) { // each time: the close, and at once a command
                store.gaveUp(pending, 0);
                CompletableFuture<String> next = store.call(StoreOp.GET, List.of("k" + i));
                assertFalse(next.isCompletedExceptionally(), () -> "failed: " + next.handle((v, e) -> e).join());
                assertEquals("accepted " + (i + 2), accepted.poll(10, TimeUnit.SECONDS));
                pending = next;
            }
            assertTrue(first.isCompletedExceptionally(), "the command on the closed connection failed");
        }
    }

    /**
     * A command given up on while one written before it still waits within its own bound keeps the
     * connection (the server answers in order: it may be at work on the first); once that one is
     * given up on too, the silence is the connection's, and it is closed.
     */
    @Test
    void aShortTimeoutBehindALongerOneKeepsTheConnection() throws Exception {
        try (SilentServer server = new SilentServer()) {
            BlockingQueue<String> accepted = server.accepted;
            FrameStore store = new FrameStore(ServerAddress.parse("127.0.0.1:" + server.socket.getLocalPort()), 5000);
            CompletableFuture<String> big = store.call(StoreOp.SET, List.of("k", "a big value"));
            CompletableFuture<String> small = store.call(StoreOp.GET, List.of("k"));
            assertEquals("accepted 1", accepted.poll(10, TimeUnit.SECONDS));
            small.completeExceptionally(new java.util.concurrent.TimeoutException()); // as orTimeout does
            store.gaveUp(small, 0);
            assertTrue(store.open(), "the command before it still waits on the connection");
            CompletableFuture<String> later = store.call(StoreOp.GET, List.of("k"));
            assertFalse(later.isDone());
            big.completeExceptionally(new java.util.concurrent.TimeoutException());
            store.gaveUp(big, 0);
            assertFalse(store.open(), "nothing before it: the silence is the connection's");
            assertTrue(later.handle((v, e) -> e).get(10, TimeUnit.SECONDS) != null, "the connection was closed, failing what waited on it");
            store.call(StoreOp.GET, List.of("k"));
            assertEquals("accepted 2", accepted.poll(10, TimeUnit.SECONDS), "the next command connects again");
            assertEquals(null, accepted.poll(), "and only then");
        }
    }

    /** A server that accepts every connection and never answers; "accepted N" for each, in order. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket;
        final BlockingQueue<String> accepted = new LinkedBlockingQueue<>();
        private final List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(socket.accept());
                        accepted.add("accepted " + held.size());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : held) {
                connection.close();
            }
        }
    }
}
