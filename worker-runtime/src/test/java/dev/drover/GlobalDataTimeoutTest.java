package dev.drover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server that takes commands and never answers (a half-open connection, as after a partition). */
@Timeout(30)
class GlobalDataTimeoutTest {

    @Test
    void aCommandThatTimesOutClosesItsConnectionAndTheNextConnectsAgain() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> silent(server, events), "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
            GlobalData data = new GlobalData("127.0.0.1:" + server.getLocalPort()).setTimeout(Duration.ofMillis(300));

            GlobalDataException blocking = assertThrows(GlobalDataException.class, () -> data.get("k"));
            assertEquals("GlobalData frame://127.0.0.1:" + server.getLocalPort() + ": no answer to get 'k' within 300 ms", blocking.getMessage());
            assertEquals("accepted 1", events.poll(10, TimeUnit.SECONDS));
            assertEquals("closed 1", events.poll(10, TimeUnit.SECONDS), "the connection that kept a command unanswered is closed");

            CompletableFuture<String> async = data.getAsync("k"); // outside a worker: completed on the timer's thread
            ExecutionException failed = assertThrows(ExecutionException.class, () -> async.get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().endsWith("no answer to get 'k' within 300 ms"), failed.getCause().getMessage());
            assertEquals("accepted 2", events.poll(10, TimeUnit.SECONDS), "the next command connected again");
            assertEquals("closed 2", events.poll(10, TimeUnit.SECONDS));
        }
    }

    private static void silent(ServerSocket server, BlockingQueue<String> events) {
        for (int count = 1; ; count++) {
            try (Socket client = server.accept(); InputStream in = client.getInputStream()) {
                events.add("accepted " + count);
                while (in.read() >= 0) {
                    // takes the command, answers nothing
                }
                events.add("closed " + count);
            } catch (IOException serverClosed) {
                return;
            }
        }
    }
}
