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
        try (ServerSocket server = serving(socket -> silent(socket, events))) {
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

    /** A loopback server on a port of the kernel's choosing, accepting on a thread of its own as {@code accept} says. */
    private static ServerSocket serving(java.util.function.Consumer<ServerSocket> accept) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> accept.accept(server), "test-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    /** A server that answers, only slowly: the command that timed out fails alone, and the connection is kept. */
    @Test
    void aSlowServerThatAnswersMeanwhileKeepsItsConnection() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (ServerSocket server = serving(socket -> slow(socket, events))) {
            String address = "127.0.0.1:" + server.getLocalPort();
            CompletableFuture<String> first = new GlobalData(address).getAsync("one"); // answered after 300 ms
            GlobalData impatient = new GlobalData(address).setTimeout(Duration.ofMillis(1000));
            GlobalDataException timedOut = assertThrows(GlobalDataException.class, () -> impatient.get("two")); // answered after 1.5 s
            assertTrue(timedOut.getMessage().endsWith("no answer to get 'two' within 1000 ms"), timedOut.getMessage());
            assertEquals("answer 1", first.get(10, TimeUnit.SECONDS));
            assertEquals("answer 3", new GlobalData(address).get("three"), "the connection served on");
            assertEquals("accepted 1", events.poll(10, TimeUnit.SECONDS));
            assertEquals(null, events.poll(), "one connection, never closed: " + events);
        }
    }

    /** Answers the first command after 300 ms, the second after 1.5 s, the others at once, in order, on one connection at a time. */
    private static void slow(ServerSocket server, BlockingQueue<String> events) {
        for (int count = 1; ; count++) {
            try (Socket client = server.accept()) {
                events.add("accepted " + count);
                java.io.DataInputStream in = new java.io.DataInputStream(client.getInputStream());
                java.io.DataOutputStream out = new java.io.DataOutputStream(client.getOutputStream());
                long accepted = System.nanoTime();
                for (int command = 1; ; command++) {
                    in.readFully(new byte[in.readInt() - 4]);
                    long due = accepted + (command == 1 ? 300_000_000L : command == 2 ? 1_500_000_000L : 0);
                    Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000)); // the server's own slowness, not a test's wait
                    byte[] reply = dev.drover.internal.channel.ChannelWire.encode(dev.drover.internal.channel.ChannelWire.REPLY, "answer " + command);
                    out.writeInt(reply.length + 4);
                    out.write(reply);
                    out.flush();
                }
            } catch (IOException | InterruptedException closed) {
                if (server.isClosed()) {
                    return;
                }
                events.add("closed " + count);
            }
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
