import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WebSocket clients for scripts/bench (plain blocking NIO, no library):
 *   idle PORT N [FROM] opens N connections numbered from FROM (0), connection i from source address
 *                      127.0.0.(2 + i / 10,000), completes each handshake, prints "open N", then holds
 *                      them until stdin closes (run several: a process may hold only so many files)
 *   echo PORT C SECS   C connections each sending a 16-byte text message and waiting for its echo,
 *                      for SECS seconds; prints "round trips per second: R"
 */
public final class WebSocketClients {
    private static final byte[] HANDSHAKE_TAIL = ("Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        if (args[0].equals("idle")) {
            idle(port, Integer.parseInt(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 0);
        } else {
            echo(port, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    private static SocketChannel open(int port, int index) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.bind(new InetSocketAddress("127.0.0." + (2 + index / 10_000), 0));
        channel.connect(new InetSocketAddress("127.0.0.1", port));
        channel.write(ByteBuffer.wrap(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII)));
        channel.write(ByteBuffer.wrap(HANDSHAKE_TAIL));
        ByteBuffer head = ByteBuffer.allocate(1024);
        while (!new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
            if (channel.read(head) < 0) {
                throw new IOException("closed during the handshake");
            }
        }
        if (!new String(head.array(), 0, 12, StandardCharsets.US_ASCII).equals("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII));
        }
        return channel;
    }

    private static void idle(int port, int count, int from) throws Exception {
        List<SocketChannel> channels = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            channels.add(open(port, i));
        }
        System.out.println("open " + channels.size());
        System.out.flush();
        System.in.read(); // hold them until the benchmark closes our stdin
        for (SocketChannel channel : channels) {
            channel.close();
        }
    }

    private static void echo(int port, int clients, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong roundTrips = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            SocketChannel channel = open(port, c);
            Thread thread = new Thread(() -> {
                // A masked text frame of 16 bytes (mask 0: the payload goes as is) and its 18-byte echo.
                ByteBuffer frame = ByteBuffer.allocate(22);
                frame.put((byte) 0x81).put((byte) (0x80 | 16)).putInt(0).put("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
                ByteBuffer answer = ByteBuffer.allocate(18);
                try {
                    while (running.get()) {
                        channel.write(frame.flip());
                        frame.position(frame.limit());
                        answer.clear();
                        while (answer.hasRemaining()) {
                            if (channel.read(answer) < 0) {
                                throw new IOException("closed");
                            }
                        }
                        roundTrips.incrementAndGet();
                    }
                } catch (IOException e) {
                    System.err.println("client failed: " + e);
                }
            });
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        Thread.sleep(seconds * 1000L);
        running.set(false);
        for (Thread thread : threads) {
            thread.join(5000);
        }
        System.out.printf("round trips per second: %.0f%n", roundTrips.get() / (double) seconds);
        System.exit(0);
    }
}
