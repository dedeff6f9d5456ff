package dev.drover.internal;

import dev.drover.Worker;
import dev.drover.http.Request;
import dev.drover.http.Response;
import dev.drover.master.ListenAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * What the worker that records its command's class list ({@code DROVER_RECORDING}) does before it
 * is ready: one exchange in its protocol with itself, over a throwaway listener on 127.0.0.1 that
 * answers without the application's callbacks. The master dumps the class archive when that worker
 * is ready, so the classes a connection's first message needs (the epoll socket channel, the
 * protocol's decoder and encoder, the pooled buffers: some 230 for HTTP) land in the archive too;
 * without this they did only when a request happened to arrive before the dump, and every worker
 * started from an archive without them spent ~200 ms reading them from the jars on its first
 * request.
 */
final class Rehearsal {
    private static final int TIMEOUT_MILLIS = 5000;

    /** The bytes a client sends and when it has the whole answer. */
    private record Exchange(String request, Predicate<String> answered) {}

    private Rehearsal() {}

    /** Whether a worker listening on {@code address} rehearses: not on Unix sockets or UDP. */
    static boolean applies(ListenAddress address) {
        return !address.isUnix() && !address.isUdp();
    }

    /** A Worker of {@code protocol} on a kernel-chosen loopback port that answers every message without application code. */
    static Worker listener(String protocol) {
        Worker stand = new Worker(protocol + "://127.0.0.1:0");
        stand.setName("rehearsal");
        stand.onMessage((connection, data) -> connection.send(protocol.equals("http") ? httpAnswer((Request) data) : data));
        return stand;
    }

    /** An answer each of the ways HTTP answers go out: text and a Response as drover writes them, a 204 through Netty's encoder. */
    private static Object httpAnswer(Request request) {
        return switch (request.method()) {
            case "GET" -> "";
            case "POST" -> new Response(200).header("Content-Type", "text/plain");
            default -> new Response(204);
        };
    }

    /**
     * The client side, on a thread of its own (the event loop serves the other side): connects to
     * {@code port}, sends one message of {@code protocol}, reads the answer, closes, then runs
     * {@code then}. A failure only means fewer classes in the archive.
     */
    static void client(String protocol, int port, Runnable then) {
        Thread thread = new Thread(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                Exchange exchange = exchange(protocol);
                if (exchange != null) {
                    socket.getOutputStream().write(exchange.request().getBytes(StandardCharsets.ISO_8859_1));
                    read(socket.getInputStream(), exchange.answered());
                }
            } catch (IOException | RuntimeException e) {
                // the archive misses what the rest of the exchange would have loaded
            } finally {
                then.run();
            }
        }, "drover-rehearsal");
        thread.setDaemon(true);
        thread.start();
    }

    private static void read(InputStream in, Predicate<String> answered) throws IOException {
        StringBuilder received = new StringBuilder();
        byte[] buffer = new byte[1024];
        while (!answered.test(received.toString())) {
            int count = in.read(buffer);
            if (count < 0) {
                return;
            }
            received.append(new String(buffer, 0, count, StandardCharsets.ISO_8859_1));
        }
    }

    /** One message and its answer in {@code protocol}; null for an application's own protocol (connect and close only). */
    private static Exchange exchange(String protocol) {
        return switch (protocol) {
            // A GET and a POST (drover reads them: PlainRequest) and a PATCH (Netty's decoder and aggregator do); three empty answers come back.
            // (httpAnswer: text and a Response written by drover, a 204 by Netty's encoder.)
            case "http" -> new Exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx"
                    + "PATCH / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx",
                    s -> s.split("\r\n\r\n", -1).length > 3);
            // The handshake, then a masked text frame "x" (mask 0); the answer is the 101 head and a 3-byte frame.
            case "websocket" -> new Exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\u0081\u0081\0\0\0\0x",
                    s -> s.indexOf("\r\n\r\n") >= 0 && s.length() >= s.indexOf("\r\n\r\n") + 4 + 3);
            case "tcp" -> new Exchange("x", s -> !s.isEmpty());
            case "text" -> new Exchange("x\n", s -> s.endsWith("\n"));
            case "frame" -> new Exchange("\0\0\0\u0005x", s -> s.length() >= 5);
            default -> null;
        };
    }
}
