import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 *   push WS TEXT C P F SECS  the push service's workload: C browsers on WS register uids 0..C-1, P pushers on
 *                      TEXT keep F pushes each in flight (a push is sent per "ok" or "fail" answered), to
 *                      uids in turn, each carrying System.nanoTime(); prints "measuring" after 3 s of warm-up,
 *                      then after SECS seconds "done", the pushes delivered and their delivery p50/p99
 */
public final class WebSocketClients {
    private static final byte[] HANDSHAKE_TAIL = ("Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        if (args[0].equals("idle")) {
            idle(port, Integer.parseInt(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 0);
        } else if (args[0].equals("push")) {
            PushLoad.run(port, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]));
        } else {
            echo(port, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    static SocketChannel open(int port, int index) throws IOException {
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

    /** A masked text frame (mask 0, so the payload goes as is) of a short payload. */
    static ByteBuffer textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(6 + payload.length).put((byte) 0x81).put((byte) (0x80 | payload.length)).putInt(0)
                .put(payload).flip();
    }
}

/** The push workload: one selector thread reads every browser, one thread per pusher. */
final class PushLoad {
    private static final int WARM_UP_SECONDS = 3;
    /** Deliveries per second the latency record is sized for (drover delivers ~120,000 here). */
    private static final int MAX_RATE = 500_000;

    static void run(int wsPort, int textPort, int browsers, int pushers, int inFlight, int seconds) throws Exception {
        Selector selector = Selector.open();
        for (int uid = 0; uid < browsers; uid++) {
            SocketChannel channel = WebSocketClients.open(wsPort, uid);
            channel.write(WebSocketClients.textFrame(Integer.toString(uid)));
            ByteBuffer answer = ByteBuffer.allocate(256);
            while (!new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).contains("registered")) {
                if (channel.read(answer) < 0) {
                    throw new IOException("browser " + uid + " closed before it was registered");
                }
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(4096));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong failed = new AtomicLong();
        AtomicLong next = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < pushers; p++) {
            SocketChannel pusher = SocketChannel.open(new InetSocketAddress("127.0.0.1", textPort));
            pusher.socket().setTcpNoDelay(true);
            threads.add(new Thread(() -> push(pusher, browsers, inFlight, next, failed, running), "pusher"));
        }
        Deliveries deliveries = new Deliveries((WARM_UP_SECONDS + seconds + 5) * MAX_RATE);
        Thread reader = new Thread(() -> read(selector, deliveries, running), "browsers");
        reader.start();
        threads.forEach(Thread::start);
        Thread.sleep(WARM_UP_SECONDS * 1000L);
        int from = deliveries.count();
        long failedBefore = failed.get();
        System.out.println("measuring");
        System.out.flush();
        Thread.sleep(seconds * 1000L);
        int to = deliveries.count();
        System.out.println("done");
        long failures = failed.get() - failedBefore;
        running.set(false);
        reader.join();
        if (deliveries.overflowed()) {
            throw new IllegalStateException("more than " + MAX_RATE + " deliveries per second: raise PushLoad.MAX_RATE");
        }
        long[] latencies = deliveries.sorted(from, to);
        System.out.printf("pushes delivered per second: %.0f%n", latencies.length / (double) seconds);
        System.out.printf("delivered: %d%n", latencies.length);
        System.out.printf("fail answers: %d%n", failures);
        System.out.printf("delivery p50 ms: %.3f%n", percentile(latencies, 0.50) / 1e6);
        System.out.printf("delivery p90 ms: %.3f%n", percentile(latencies, 0.90) / 1e6);
        System.out.printf("delivery p99 ms: %.3f%n", percentile(latencies, 0.99) / 1e6);
        System.out.printf("delivery p99.9 ms: %.3f%n", percentile(latencies, 0.999) / 1e6);
        System.out.printf("delivery max ms: %.3f%n", percentile(latencies, 1) / 1e6);
        System.out.flush();
        System.exit(0);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    private static void push(SocketChannel pusher, int browsers, int inFlight, AtomicLong next, AtomicLong failed,
                             AtomicBoolean running) {
        ByteBuffer answers = ByteBuffer.allocate(64 * 1024);
        StringBuilder pushes = new StringBuilder();
        try {
            int owed = inFlight;
            while (running.get()) {
                pushes.setLength(0);
                for (int i = 0; i < owed; i++) {
                    pushes.append("{\"uid\":\"").append(next.getAndIncrement() % browsers).append("\",\"percent\":\"")
                            .append(System.nanoTime()).append("\"}\n");
                }
                pusher.write(ByteBuffer.wrap(pushes.toString().getBytes(StandardCharsets.US_ASCII)));
                owed = 0;
                answers.clear();
                if (pusher.read(answers) < 0) {
                    throw new IOException("the text port closed the pusher");
                }
                for (int i = 0; i < answers.position(); i++) {
                    byte b = answers.get(i);
                    if (b == '\n') {
                        owed++;
                    } else if (b == 'f') {
                        failed.incrementAndGet();
                    }
                }
            }
        } catch (IOException e) {
            if (running.get()) {
                System.err.println("pusher failed: " + e);
                System.exit(1);
            }
        }
    }

    private static void read(Selector selector, Deliveries deliveries, AtomicBoolean running) {
        try {
            while (running.get()) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    ByteBuffer buffer = (ByteBuffer) key.attachment();
                    if (channel.read(buffer) < 0) {
                        throw new IOException("a browser was closed by the server");
                    }
                    buffer.flip();
                    long now = System.nanoTime();
                    // Server frames are unmasked text frames shorter than 126 bytes: 0x81, length, payload.
                    while (buffer.remaining() >= 2 && buffer.remaining() >= 2 + buffer.get(buffer.position() + 1)) {
                        buffer.get();
                        int length = buffer.get();
                        long sent = 0;
                        for (int i = 0; i < length; i++) {
                            sent = sent * 10 + (buffer.get() - '0');
                        }
                        deliveries.add(now - sent);
                    }
                    buffer.compact();
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (running.get()) {
                System.err.println("browsers failed: " + e);
                System.exit(1);
            }
        }
    }

    /**
     * Delivery latencies in ns, every one from the first, in an array allocated (and so zeroed, its
     * pages touched) before the pushing starts: the reader thread neither grows an array nor takes a
     * branch it has not taken before when the measuring starts (either stalled it for milliseconds,
     * and every delivery waiting behind it counted the stall). Written by the reader thread alone;
     * the main thread reads the count to mark the measured part.
     */
    private static final class Deliveries {
        private final long[] latencies;
        private volatile int count;

        Deliveries(int capacity) {
            latencies = new long[capacity];
        }

        void add(long nanos) {
            int at = count;
            if (at < latencies.length) {
                latencies[at] = nanos;
                count = at + 1;
            }
        }

        int count() {
            return count;
        }

        boolean overflowed() {
            return count == latencies.length;
        }

        long[] sorted(int from, int to) {
            long[] copy = Arrays.copyOfRange(latencies, from, to);
            Arrays.sort(copy);
            return copy;
        }
    }
}
