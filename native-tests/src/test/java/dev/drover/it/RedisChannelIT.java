package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, acceptances 1 and 3: two masters ("hosts" A and B, ports of their own) joined by a
 * real redis-server: a push sent to A reaches a browser held by B; redis-server is restarted and
 * the channel clients reconnect, later pushes arrive, in order, once each.
 */
@Timeout(240)
class RedisChannelIT {

    @Test
    void aPushToOneHostReachesABrowserOnTheOtherAcrossARedisRestart(@TempDir Path dir) throws Exception {
        int textA = Ports.free();
        int wsB = Ports.free();
        try (RedisServer redis = new RedisServer(dir.resolve("redis"));
             App hostA = PushApps.cluster(dir.resolve("a"), 2, redis.url(), Ports.free(), textA);
             App hostB = PushApps.cluster(dir.resolve("b"), 2, redis.url(), wsB, Ports.free())) {
            hostB.start();
            hostA.start();
            try (PushBrowser browser = new PushBrowser(wsB, "b1")) {
                pushesArrive(redis, textA, browser);
            }
            assertTrue(hostA.log().contains("channel: " + redis.url() + " is unreachable"), "the outage is logged:\n" + hostA.log());
            // logged after the queued pushes went out, and relayed to the master's log: it may trail the push
            Await.until("the outage's end is logged", Duration.ofSeconds(10),
                    () -> hostA.log().contains("channel: connected to " + redis.url() + " again after"));
        }
    }

    /**
     * Channel on Redis without Lettuce on the class path fails the start, saying what to add: its
     * backend's classes failed to link, and a NoClassDefFoundError ended the worker.
     */
    @Test
    void withoutLettuceTheStartFailsSayingWhatToAdd(@TempDir Path dir) throws Exception {
        try (App app = PushApps.cluster(dir, 1, "redis://127.0.0.1:" + Ports.free(), Ports.free(), Ports.free())
                .withClassPath(TestClassPath.withoutLettuce())) {
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.all().contains("the Redis backend needs io.lettuce:lettuce-core (7.x) on the class path"), start.all());
        }
    }

    private static void pushesArrive(RedisServer redis, int textA, PushBrowser browser) throws Exception {
        {
            // A worker is ready before its first connect to redis is done: the first push may be early.
            pushUntilAcknowledged(textA, browser, "from A");

            redis.restart();
            pushUntilAcknowledged(textA, browser, "after the restart");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                lines.add("{\"uid\":\"b1\",\"percent\":\"" + i + "\"}");
            }
            List<String> answers = TextClient.askAll(textA, lines);
            assertTrue(answers.stream().allMatch("ok"::equals), "every push acknowledged: " + answers);
            Await.until("the 50 pushes reached host B's browser", Duration.ofSeconds(30), () -> numbered(browser).size() >= 50);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add(Integer.toString(i));
            }
            // Retries above may deliver their own text late (or twice): only the numbered pushes are counted.
            assertEquals(expected, numbered(browser), "in order, once each");
        }
    }

    private static List<String> numbered(PushBrowser browser) {
        return browser.pushes().stream().filter(p -> p.matches("\\d+")).toList();
    }

    /** Pushes {@code percent} through {@code text} until it is acknowledged and the browser has it. */
    private static void pushUntilAcknowledged(int text, PushBrowser browser, String percent) {
        Await.until("a push of '" + percent + "' acknowledged", Duration.ofSeconds(60),
                () -> "ok".equals(TextClient.tryAsk(text, "{\"uid\":\"b1\",\"percent\":\"" + percent + "\"}")));
        Await.until("'" + percent + "' reached host B's browser", Duration.ofSeconds(10), () -> browser.pushes().contains(percent));
    }
}
