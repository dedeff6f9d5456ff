package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.GlobalDataApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, acceptance 4: GlobalData increments from 4 workers x 1,000 end at 4,000, on both backends; every command answers
 * alike. A stop runs each worker's onWorkerStop while the store still answers.
 */
@Timeout(180)
class GlobalDataIT {
    private static final Pattern STOPPED = Pattern.compile("counter onWorkerStop: stopped=(\\d+)");
    private static final String SCRIPT = "[false, true, false, a, false, true, c, true, true, 7, refused, true, null]";

    @Test
    void theEmbeddedServerCountsEveryIncrement(@TempDir Path dir) throws Exception {
        int store = Ports.free();
        countsAndAnswers(dir, "127.0.0.1:" + store, GlobalDataIT::spawnedOnceTheServerWasReady, () -> {
            java.util.List<Long> timers = Sockets.keepaliveSeconds(store);
            assertFalse(timers.isEmpty(), "the workers' connections to the server");
            assertTrue(timers.stream().allMatch(seconds -> seconds >= 0 && seconds <= 30),
                    "each probed after 30 s idle, not the kernel's 2 h: seconds left " + timers);
        });
    }

    /**
     * On Redis, each worker sets its client up as it makes its GlobalData, off its event loop, and
     * accepts once it is connected: as the start returns, the http worker, asked nothing yet, is
     * connected (the first command took 1.6 to 1.9 s on the loop here, setting Lettuce up, while the
     * worker served no one).
     */
    @Test
    void redisCountsEveryIncrement(@TempDir Path dir) throws Exception {
        try (RedisServer redis = new RedisServer(dir.resolve("redis"))) {
            countsAndAnswers(dir, redis.url(), app -> assertEquals(5, redis.clients().size(),
                    "4 counters and the http worker connected before any request: " + redis.clients()), () -> { });
            assertEquals("4000", redis.ask("GET hits"), "the count is in redis itself");
        }
    }

    /**
     * A redis:// GlobalData without Lettuce on the class path fails the start, saying what to add:
     * it failed a worker's first command with a NoClassDefFoundError, which ended the worker.
     */
    @Test
    void redisWithoutLettuceFailsTheStartSayingWhatToAdd(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, GlobalDataApp.class, "-Dapp.store=redis://127.0.0.1:" + Ports.free(),
                "-Dapp.http=http://127.0.0.1:" + Ports.free()).withClassPath(TestClassPath.withoutLettuce())) {
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.all().contains("the Redis backend needs io.lettuce:lettuce-core (7.x) on the class path"), start.all());
        }
    }

    /**
     * A restart's new workers count on the new master's server alone: the old one stops accepting as
     * the new master starts. They reached the old one too (both accept on the handed-over socket),
     * splitting the counts, and under restart -g the old server waited for their connections for ever.
     */
    @Test
    void aRestartsWorkersUseTheNewServerAlone(@TempDir Path dir) throws Exception {
        int http = Ports.free();
        try (App app = new App(dir, GlobalDataApp.class, "-Dapp.store=127.0.0.1:" + Ports.free(), "-Dapp.http=http://127.0.0.1:" + http)) {
            app.start();
            Await.until("the 4 counters finished", Duration.ofSeconds(60), () -> "4".equals(Http.tryGet(http, "/get?key=done")));
            long oldMaster = app.masterPid();
            App.Result restart = app.run("restart", "-g");
            assertEquals(0, restart.code(), restart.all() + "\n" + app.log());
            Await.until("the old master is gone", Duration.ofSeconds(30), () -> !Processes.alive(oldMaster));
            Await.until("the new counters finished, on the new server", Duration.ofSeconds(60), () -> "4".equals(Http.tryGet(http, "/get?key=done")),
                    app::log);
            assertEquals("4000", Http.get(http, "/get?key=hits"), "every increment of the new workers on the new server");
        }
    }

    /** A restart that fails has the old server accept again: it stopped accepting as the new master started. */
    @Test
    void aFailedRestartLeavesTheServerAccepting(@TempDir Path dir) throws Exception {
        int store = Ports.free();
        int http = Ports.free();
        Path broken = dir.resolve("broken");
        try (App app = new App(dir, GlobalDataApp.class, "-Dapp.store=127.0.0.1:" + store, "-Dapp.http=http://127.0.0.1:" + http,
                "-Dapp.brokenIf=" + broken)) {
            app.start();
            Await.until("the 4 counters finished", Duration.ofSeconds(60), () -> "4".equals(Http.tryGet(http, "/get?key=done")));
            java.nio.file.Files.createFile(broken);
            App.Result restart = app.run("restart");
            assertEquals(1, restart.code(), restart.all());
            assertTrue(restart.err().contains("restart failed"), restart.all());
            try (java.net.Socket client = new java.net.Socket()) { // a connection of its own: the workers' were made before
                client.connect(new java.net.InetSocketAddress("127.0.0.1", store), 5000);
                client.setSoTimeout(10_000);
                byte[] get = dev.drover.internal.channel.ChannelWire.encode((byte) 'g', "done"); // get
                java.io.DataOutputStream out = new java.io.DataOutputStream(client.getOutputStream());
                out.writeInt(4 + get.length);
                out.write(get);
                out.flush();
                java.io.DataInputStream in = new java.io.DataInputStream(client.getInputStream());
                byte[] reply = new byte[in.readInt() - 4];
                in.readFully(reply);
                assertEquals(List.of("4"), dev.drover.internal.channel.ChannelWire.fields(reply), "the old server answers a new client");
            }
        }
    }

    /**
     * At the start, the other workers are spawned once the ChannelServer is ready, so that an
     * onWorkerStart using it finds it answering (side by side, on a busy host, its JVM came up after
     * a GlobalData command's 5 s): each started (/proc/PID/stat, in ticks of 10 ms) after its "ready in".
     */
    private static void spawnedOnceTheServerWasReady(App app) {
        App.WorkerRow server = app.workers().stream().filter(w -> w.name().equals("ChannelServer")).findFirst().orElseThrow();
        java.util.regex.Matcher ready = Pattern.compile("worker\\[ChannelServer:" + server.pid() + "\\] id 0 ready in (\\d+) ms").matcher(app.log());
        assertTrue(ready.find(), app.log());
        long readyTick = Processes.startTicks(server.pid()).orElseThrow() + Long.parseLong(ready.group(1)) / 10;
        for (App.WorkerRow worker : app.workers()) {
            long started = Processes.startTicks(worker.pid()).orElseThrow();
            assertTrue(worker.pid() == server.pid() || started >= readyTick - 5, worker + " started at tick " + started
                    + ", the ChannelServer ready at about " + readyTick + ":\n" + app.log());
        }
    }

    /** {@code started} runs once the app started, before the first request to its http worker; {@code andThen} after the checks. */
    private static void countsAndAnswers(Path dir, String store, java.util.function.Consumer<App> started, Runnable andThen) throws Exception {
        int http = Ports.free();
        try (App app = new App(dir, GlobalDataApp.class, "-Dapp.store=" + store, "-Dapp.http=http://127.0.0.1:" + http)) {
            app.start();
            started.accept(app);
            Await.until("the 4 counters finished", Duration.ofSeconds(60), () -> "4".equals(Http.tryGet(http, "/get?key=done")));
            assertEquals("4000", Http.get(http, "/get?key=hits"));
            assertEquals(SCRIPT, Http.get(http, "/script"));
            andThen.run();
            App.Result stop = app.run("stop");
            assertEquals(0, stop.code(), stop.all());
            String log = app.log();
            assertEquals(List.of(1, 2, 3, 4), STOPPED.matcher(log).results().map(m -> Integer.parseInt(m.group(1))).sorted().toList(),
                    "each counter's onWorkerStop reached the store (the ChannelServer stops once they are gone):\n" + log);
            assertFalse(log.contains("unreachable") || log.contains("onWorkerStop failed"), log);
        }
    }
}
