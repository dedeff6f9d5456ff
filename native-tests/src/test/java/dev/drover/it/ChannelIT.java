package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.internal.channel.ChannelWire;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, acceptance 2: the push demo on 4 websocket and 4 text workers with the embedded
 * ChannelServer; 1,000 pushes to uids held by all four workers arrive, in order per uid. Then the
 * ChannelServer is killed: its workers reconnect and later pushes arrive.
 */
@Timeout(240)
class ChannelIT {
    private static final int PUSHES = 1000;
    private static final int SENDERS = 4;

    @Test
    void pushesReachTheWorkerHoldingTheUidInOrder(@TempDir Path dir) throws Exception {
        int ws = Ports.free();
        int text = Ports.free();
        List<PushBrowser> browsers = new ArrayList<>();
        int channel = Ports.free();
        try (App app = PushApps.cluster(dir, 4, "127.0.0.1:" + channel, ws, text)) {
            app.start();
            Map<Integer, Integer> perWorker = new HashMap<>();
            for (int uid = 0; perWorker.size() < 4 || uid < 40; uid++) {
                if (uid == 400) {
                    throw new AssertionError("400 browsers did not reach all 4 push workers: " + perWorker);
                }
                PushBrowser browser = new PushBrowser(ws, Integer.toString(uid));
                browsers.add(browser);
                perWorker.merge(browser.worker(), 1, Integer::sum);
            }

            Random random = new Random(11);
            Map<Integer, List<String>> expected = new HashMap<>();
            List<List<String>> lines = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                lines.add(new ArrayList<>());
            }
            for (int i = 0; i < PUSHES; i++) {
                int uid = random.nextInt(browsers.size());
                String percent = uid + "-" + i;
                expected.computeIfAbsent(uid, u -> new ArrayList<>()).add(percent);
                lines.get(uid % SENDERS).add("{\"uid\":\"" + uid + "\",\"percent\":\"" + percent + "\"}");
            }
            long started = System.nanoTime();
            List<String> answers = sendAll(text, lines);
            System.out.printf("ChannelIT: %d pushes over %d connections acknowledged in %d ms%n", PUSHES, SENDERS,
                    (System.nanoTime() - started) / 1_000_000);
            assertEquals(Map.of("ok", (long) PUSHES), answers.stream().collect(Collectors.groupingBy(a -> a, Collectors.counting())),
                    "every push was acknowledged by the worker holding its uid");
            for (Map.Entry<Integer, List<String>> uid : expected.entrySet()) {
                PushBrowser browser = browsers.get(uid.getKey());
                Await.until("uid " + uid.getKey() + " got its " + uid.getValue().size() + " pushes", Duration.ofSeconds(30),
                        () -> browser.pushes().size() >= uid.getValue().size());
                assertEquals(uid.getValue(), browser.pushes(), "uid " + uid.getKey() + " (worker " + browser.worker() + ")");
            }
            Set<Integer> workers = new TreeSet<>(perWorker.keySet());
            assertEquals(Set.of(0, 1, 2, 3), workers, "the uids were held by all four push workers: " + perWorker);

            List<Long> keepalives = Sockets.keepaliveSeconds(channel);
            assertTrue(!keepalives.isEmpty() && keepalives.stream().allMatch(seconds -> seconds >= 0 && seconds <= 30),
                    "the workers' channel connections, each probed after 30 s idle, not the kernel's 2 h: seconds left " + keepalives);
            long server = app.workers().stream().filter(w -> w.name().equals("ChannelServer")).findFirst().orElseThrow().pid();
            Processes.kill(server, "KILL");
            Await.until("a new ChannelServer", Duration.ofSeconds(30), () -> app.workers().stream()
                    .anyMatch(w -> w.name().equals("ChannelServer") && w.pid() != server && w.state().equals("ready")));
            PushBrowser first = browsers.get(0);
            Await.until("a push after the ChannelServer's restart is acknowledged", Duration.ofSeconds(30),
                    () -> "ok".equals(TextClient.tryAsk(text, "{\"uid\":\"0\",\"percent\":\"after restart\"}")));
            Await.until("it reached uid 0", Duration.ofSeconds(10), () -> first.pushes().contains("after restart"));
            // logged after the queued pushes went out, and relayed to the master's log: it may trail the push
            Await.until("the outage and its end are logged", Duration.ofSeconds(10), () -> app.log().contains("channel: connected to frame://"));
            assertEquals("fail", TextClient.tryAsk(text, "{\"uid\":\"nobody\",\"percent\":\"1\"}"), "no worker holds that uid: no acknowledgement");
        } finally {
            browsers.forEach(PushBrowser::close);
        }
    }

    /**
     * stop -g asks the ChannelServer to stop without waiting for its clients, once the other
     * workers are gone: a subscriber from elsewhere never ends, and the stop waited for it for ever.
     */
    @Test
    void aGracefulStopDoesNotWaitForSubscribersFromElsewhere(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (App app = new App(dir, dev.drover.it.apps.ChannelServerApp.class, "-Dapp.channel=127.0.0.1:" + port);
             java.net.Socket subscriber = new java.net.Socket()) {
            app.start();
            subscriber.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            subscriber.setSoTimeout(10_000);
            frame(subscriber, ChannelWire.encode(ChannelWire.SUBSCRIBE, "news"));
            App.Result stop = app.run("stop", "-g");
            assertEquals(0, stop.code(), stop.all());
            assertEquals(-1, subscriber.getInputStream().read(), "the subscriber's connection was closed");
        }
    }

    /**
     * A subscriber that stops reading: once 64 MiB wait for it, the server drops its events and
     * says so; once it has read them, the server says it caught up, with how many it lost.
     */
    @Test
    void aSlowSubscriberIsToldOfInTheLogWithItsDrops(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        // the server's 64 MiB for the subscriber, in direct memory, over the tests' small heap
        try (App app = new App(dir, dev.drover.it.apps.ChannelServerApp.class, "-Dapp.channel=127.0.0.1:" + port, "-XX:MaxDirectMemorySize=256m");
             java.net.Socket subscriber = new java.net.Socket();
             java.net.Socket publisher = new java.net.Socket()) {
            app.start();
            subscriber.setReceiveBufferSize(64 << 10);
            subscriber.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            subscriber.setSoTimeout(500);
            frame(subscriber, ChannelWire.encode(ChannelWire.SUBSCRIBE, "news"));
            publisher.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            java.io.DataInputStream in = new java.io.DataInputStream(subscriber.getInputStream());
            Await.until("the subscription is in place", Duration.ofSeconds(10), () -> {
                try {
                    frame(publisher, ChannelWire.encode(ChannelWire.PUBLISH, "news", "probe"));
                    in.readFully(new byte[in.readInt() - 4]); // the probe's event
                    return true;
                } catch (java.net.SocketTimeoutException notYet) {
                    return false;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String mebibyte = "x".repeat(1 << 20);
            for (int i = 0; i < 80; i++) {
                frame(publisher, ChannelWire.encode(ChannelWire.PUBLISH, "news", mebibyte));
            }
            Await.until("the slow subscriber is logged", Duration.ofSeconds(30), () -> app.log().contains(" reads too slowly; "), app::log);
            byte[] sink = new byte[1 << 16];
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!app.log().contains("caught up")) { // reads what waits for it, probes and all
                assertTrue(System.nanoTime() < deadline, "it caught up within 60 s, its drops counted: " + app.log());
                try {
                    assertTrue(in.read(sink) >= 0, "the server kept the slow subscriber");
                } catch (java.net.SocketTimeoutException idle) {
                    // all read: the log line is on its way
                }
            }
            java.util.regex.Matcher caught = java.util.regex.Pattern.compile("ChannelServer: subscriber 127\\.0\\.0\\.1:\\d+ caught up; (\\d+) events to it"
                    + " were dropped meanwhile").matcher(app.log());
            assertTrue(caught.find(), app.log());
            long dropped = Long.parseLong(caught.group(1));
            assertTrue(dropped > 0 && dropped < 80, "some of the 80 events of 1 MiB did not fit its 64 MiB: " + dropped);
        }
    }

    private static void frame(java.net.Socket socket, byte[] body) throws java.io.IOException {
        java.io.DataOutputStream out = new java.io.DataOutputStream(socket.getOutputStream());
        out.writeInt(4 + body.length);
        out.write(body);
        out.flush();
    }

    /** Each sender's lines on a connection of its own, all at once; every answer. */
    static List<String> sendAll(int port, List<List<String>> lines) throws Exception {
        List<java.util.concurrent.Future<List<String>>> answers = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(lines.size());
        try {
            for (List<String> batch : lines) {
                answers.add(pool.submit(() -> TextClient.askAll(port, batch)));
            }
            List<String> all = new ArrayList<>();
            for (java.util.concurrent.Future<List<String>> answer : answers) {
                all.addAll(answer.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
