package dev.drover.it;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Clients that keep an app busy while a test (or a script) deploys it: HTTP requests on new
 * connections, HTTP requests on keep-alive connections, and WebSocket echo round trips. Each client
 * is a thread paced to a fixed rate, so the load is continuous without starving the servers of the
 * two cores. Every failure is classified ({@link Failure}); {@link #report()} prints the counts.
 *
 * <p>The clients behave as well-written clients do, and nothing more: a keep-alive client opens a
 * new connection after an answer with {@code Connection: close}, and a WebSocket client reconnects
 * after a close frame with 1001 (going away) and sends its unanswered message again. A connection
 * closed under a request that had no answer counts as a failure, as it does in wrk.
 *
 * <p>From a script: {@code java -cp native-tests/target/test-classes dev.drover.it.Load --http PORT
 * [--ws PORT] [--seconds N] [--clients N] [--rate N]} prints the report and exits 1 on any failure.
 */
public final class Load implements AutoCloseable {
    /** What went wrong with one request or round trip. */
    enum Failure {
        /** The connection was refused: nobody listened. */
        REFUSED,
        /** The connection was reset (RST, broken pipe). */
        RESET,
        /** The connection closed before the answer was complete. */
        CLOSED,
        /** No answer within the read timeout. */
        TIMEOUT,
        /** An answer, but not the expected one. */
        WRONG
    }

    /** A kind of client and its counts. */
    static final class Stats {
        final String name;
        final AtomicLong answered = new AtomicLong();
        /** New connections a client opened because the server asked it to (Connection: close, 1001). */
        final AtomicLong reconnects = new AtomicLong();
        final Map<Failure, AtomicLong> failures = new EnumMap<>(Failure.class);
        final List<String> samples = new ArrayList<>();

        Stats(String name) {
            this.name = name;
            for (Failure f : Failure.values()) {
                failures.put(f, new AtomicLong());
            }
        }

        long failed() {
            return failures.values().stream().mapToLong(AtomicLong::get).sum();
        }

        void fail(Failure failure, String what) {
            failures.get(failure).incrementAndGet();
            synchronized (samples) {
                if (samples.size() < 5) {
                    samples.add(failure + ": " + what);
                }
            }
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format("%-28s %8d answered, %5d reconnects", name + ":", answered.get(), reconnects.get()));
            failures.forEach((f, n) -> s.append(", ").append(n.get()).append(' ').append(f.name().toLowerCase()));
            synchronized (samples) {
                samples.forEach(sample -> s.append("\n    ").append(sample));
            }
            return s.toString();
        }
    }

    /** How many clients of each kind, and how fast each goes. */
    record Options(int httpPort, int webSocketPort, int clientsPerKind, int ratePerClient, Predicate<String> body) {
        static Options http(int port) {
            return new Options(port, 0, 2, 100, text -> !text.isEmpty());
        }

        Options withWebSocket(int port) {
            return new Options(httpPort, port, clientsPerKind, ratePerClient, body);
        }

        Options withBody(Predicate<String> expected) {
            return new Options(httpPort, webSocketPort, clientsPerKind, ratePerClient, expected);
        }

        Options withClients(int perKind, int rate) {
            return new Options(httpPort, webSocketPort, perKind, rate, body);
        }
    }

    static final int TIMEOUT_MS = 10_000;

    final Stats httpNew = new Stats("http, new connections");
    final Stats httpKeepAlive = new Stats("http, keep-alive");
    final Stats webSocket = new Stats("websocket round trips");
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final boolean withWebSocket;

    private Load(Options options) {
        withWebSocket = options.webSocketPort() != 0;
        for (int i = 0; i < options.clientsPerKind(); i++) {
            int port = options.httpPort();
            start("http-new-" + i, httpNew, options, () -> new LoadClients.HttpNew(port, options.body()));
            start("http-keep-alive-" + i, httpKeepAlive, options, () -> new LoadClients.HttpKeepAlive(port, options.body()));
            if (withWebSocket) {
                int ws = options.webSocketPort();
                String prefix = "client " + i + " message ";
                start("websocket-" + i, webSocket, options, () -> new LoadClients.WebSocketEcho(ws, prefix));
            }
        }
    }

    /** Starts the clients; {@link #close()} stops them. */
    static Load start(Options options) {
        return new Load(options);
    }

    private void start(String name, Stats stats, Options options, java.util.function.Supplier<LoadClients.Client> factory) {
        long period = 1_000_000_000L / options.ratePerClient();
        Thread thread = new Thread(() -> {
            LoadClients.Client client = factory.get();
            try {
                long next = System.nanoTime();
                while (running.get()) {
                    roundTrip(client, stats);
                    next += period;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    } else if (wait < -period) {
                        next = System.nanoTime(); // fell behind (a slow answer): no burst to catch up
                    }
                }
            } finally {
                client.close();
            }
        }, "load-" + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private static void roundTrip(LoadClients.Client client, Stats stats) {
        try {
            if (client.roundTrip()) {
                stats.reconnects.incrementAndGet();
            }
            stats.answered.incrementAndGet();
        } catch (LoadClients.WrongAnswer e) {
            client.close();
            stats.fail(Failure.WRONG, e.getMessage());
        } catch (IOException e) {
            client.close();
            stats.fail(classify(e), e.toString());
        }
    }

    static Failure classify(IOException e) {
        if (e instanceof ConnectException) {
            return Failure.REFUSED;
        }
        if (e instanceof SocketTimeoutException) {
            return Failure.TIMEOUT;
        }
        if (e instanceof java.io.EOFException) {
            return Failure.CLOSED;
        }
        if (e instanceof SocketException && e.getMessage() != null
                && (e.getMessage().contains("reset") || e.getMessage().contains("Broken pipe"))) {
            return Failure.RESET;
        }
        return Failure.CLOSED;
    }

    /** Answers so far, over every kind of client. */
    long answered() {
        return httpNew.answered.get() + httpKeepAlive.answered.get() + webSocket.answered.get();
    }

    long failed() {
        return httpNew.failed() + httpKeepAlive.failed() + webSocket.failed();
    }

    /** Waits until every kind of client has had {@code more} further answers (the service is up). */
    void awaitProgress(int more) {
        long[] from = {httpNew.answered.get(), httpKeepAlive.answered.get(), webSocket.answered.get()};
        try {
            Await.until("every load client gets " + more + " more answers", java.time.Duration.ofSeconds(30),
                    () -> httpNew.answered.get() >= from[0] + more && httpKeepAlive.answered.get() >= from[1] + more
                            && (!withWebSocket || webSocket.answered.get() >= from[2] + more));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ":\n" + report(), e);
        }
    }

    String report() {
        return httpNew + "\n" + httpKeepAlive + (webSocket.answered.get() + webSocket.failed() > 0 ? "\n" + webSocket : "");
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(TIMEOUT_MS + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int http = 0;
        int ws = 0;
        int seconds = 10;
        int clients = 2;
        int rate = 100;
        for (int i = 0; i + 1 < args.length; i += 2) {
            int value = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--http" -> http = value;
                case "--ws" -> ws = value;
                case "--seconds" -> seconds = value;
                case "--clients" -> clients = value;
                case "--rate" -> rate = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: Load --http PORT [--ws PORT] [--seconds N] [--clients N] [--rate N]");
            }
        }
        if (http == 0 || args.length % 2 != 0) {
            System.err.println("usage: Load --http PORT [--ws PORT] [--seconds N] [--clients N per kind] [--rate N per client per second]");
            System.exit(2);
        }
        Options options = Options.http(http).withClients(clients, rate);
        Load load = start(ws == 0 ? options : options.withWebSocket(ws));
        Thread.sleep(seconds * 1000L);
        load.close();
        System.out.println(load.report());
        System.exit(load.failed() == 0 ? 0 : 1);
    }
}
