package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
