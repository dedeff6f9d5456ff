package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.EchoServerApp;
import dev.drover.it.apps.PidApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, acceptance 6: stop kills a stuck worker after stopTimeout; graceful stop lets a request finish. */
@Timeout(120)
class StopIT {

    @Test
    void stopKillsAWorkerStuckInOnMessageAfterStopTimeout(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            app.start();
            int port = app.port();
            long worker = app.workers().get(0).pid();
            Async.call(() -> Http.tryGet(port, "/busy"));
            Await.until("the worker is stuck", Duration.ofSeconds(30), () -> ReloadIT.busyWorkers(app) == 1);
            long master = app.masterPid();
            long stopAt = System.nanoTime();
            App.Result stop = app.run("stop");
            long tookMillis = (System.nanoTime() - stopAt) / 1_000_000;
            assertEquals(0, stop.code(), stop.all());
            assertTrue(stop.out().contains("stop success"), stop.out());
            assertTrue(tookMillis >= 2000, "the worker had its 2 s stopTimeout, stop took " + tookMillis + " ms");
            assertTrue(app.log().contains("worker[web:" + worker + "] did not exit within"), app.log());
            assertTrue(app.log().contains("worker[web:" + worker + "] exit with status 9 (SIGKILL)"), app.log());
            assertFalse(Processes.alive(master));
            assertFalse(Processes.alive(worker));
        }
    }

    /**
     * A text client the worker accepted just before it stopped, and whose line comes after the stop
     * began: the line is answered, then the connection closed (not closed unheard). The stop's
     * drain closes every connection that has sent a line at once: the one that asked for the stop
     * reading its end shows that the drain has run before the silent one speaks.
     */
    @Test
    void aTextConnectionThatHasSentNothingYetIsAnsweredOnceAsTheWorkerStops(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (App app = new App(dir, EchoServerApp.class, "-Dapp.port=" + port);
             Socket silent = new Socket();
             Socket stopper = new Socket()) {
            app.start();
            silent.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            silent.setSoTimeout(10_000);
            Await.until("the worker accepted the silent connection", Duration.ofSeconds(20),
                    () -> "2".equals(TextClient.tryAsk(port, "connections")));
            stopper.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            stopper.setSoTimeout(10_000);
            stopper.getOutputStream().write("stop all\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader stopping = new BufferedReader(new InputStreamReader(stopper.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("stopping", stopping.readLine());
            assertEquals(null, stopping.readLine(), "the stop's drain closed the connection that had spoken");

            silent.getOutputStream().write("late\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader answers = new BufferedReader(new InputStreamReader(silent.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("echo: late", answers.readLine(), app.log());
            assertEquals(null, answers.readLine(), "then closed");
        }
    }

    @Test
    void sigtermKillsAStuckWorkerAfterStopTimeoutAndExits0(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            Process master = app.launch("start");
            app.track(master.pid());
            Await.until("the master is up", Duration.ofSeconds(60), () -> app.log().contains("started: 1 workers ready"));
            int port = app.port();
            long worker = app.workers().get(0).pid();
            Async.call(() -> Http.tryGet(port, "/busy"));
            Await.until("the worker is stuck", Duration.ofSeconds(30), () -> ReloadIT.busyWorkers(app) == 1);
            long termAt = System.nanoTime();
            Processes.kill(master.pid(), "TERM");
            assertTrue(master.waitFor(30, TimeUnit.SECONDS), "the master exits");
            long tookMillis = (System.nanoTime() - termAt) / 1_000_000;
            assertEquals(0, master.exitValue(), app.log());
            assertTrue(tookMillis >= 2000, "the worker had its 2 s stopTimeout: " + tookMillis + " ms");
            assertTrue(app.log().contains("worker[web:" + worker + "] exit with status 9 (SIGKILL)"), app.log());
            assertTrue(app.log().contains("stop success"), app.log());
            assertFalse(Processes.alive(worker));
        }
    }

    @Test
    void sigtermToTheMasterStopsEverythingAndRunsOnWorkerStop(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2", "-Dapp.dir=" + dir)) {
            app.start();
            var workers = app.workers();
            long master = app.masterPid();
            Processes.kill(master, "TERM");
            Await.until("the master is gone", Duration.ofSeconds(20), () -> !Processes.alive(master));
            workers.forEach(w -> {
                assertFalse(Processes.alive(w.pid()));
                assertTrue(Files.exists(dir.resolve("stopped-" + w.pid())), "onWorkerStop ran in " + w.pid());
            });
            assertFalse(Files.exists(app.pidFile()));
            assertTrue(app.log().contains("received SIGTERM"), app.log());
        }
    }

    @Test
    void winchStopsGracefullyAfterTheSlowRequest(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            app.start();
            int port = app.port();
            long worker = app.workers().get(0).pid();
            CompletableFuture<String> slow = Async.call(() -> Http.tryGet(port, "/slow?ms=8000"));
            assertEquals(worker, ReloadIT.awaitSlowRequest(dir));
            long master = app.masterPid();
            Processes.kill(master, "WINCH");
            assertEquals(worker + " 0", slow.get(), "the slow request completes first");
            Await.until("the master is gone", Duration.ofSeconds(20), () -> !Processes.alive(master));
            assertTrue(app.log().contains("is stopping gracefully"), app.log());
        }
    }

    @Test
    void stopGracefulWaitsForTheSlowRequest(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            app.start();
            int port = app.port();
            long worker = app.workers().get(0).pid();
            CompletableFuture<String> slow = Async.call(() -> Http.tryGet(port, "/slow?ms=8000"));
            assertEquals(worker, ReloadIT.awaitSlowRequest(dir));
            App.Result stop = app.run("stop", "-g");
            assertEquals(0, stop.code(), stop.all());
            assertTrue(stop.out().contains("waiting for workers (pid " + worker + ") to let their clients finish"), "it says what it waits for: " + stop.out());
            // stop -g returned once the master was gone; the test's client thread may still be reading the answer
            assertEquals(worker + " 0", slow.get(30, TimeUnit.SECONDS), "the slow request was answered before the worker went");
        }
    }

    /**
     * A graceful stop refuses new clients at once, so they try elsewhere, as nginx's and gunicorn's
     * do; the master kept its copy of the listening socket, and a new client waited until the last
     * connection ended, then was reset.
     */
    @Test
    void aGracefulStopRefusesNewClientsWhileItsConnectionsFinish(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            app.start();
            int port = app.port();
            long worker = app.workers().get(0).pid();
            CompletableFuture<String> later = Async.call(() -> Http.tryGet(port, "/later"));
            assertEquals(worker, ReloadIT.awaitSlowRequest(dir));
            Process stopping = app.launch("stop", "-g");
            Await.until("a new client is refused while the request is owed its answer", Duration.ofSeconds(30), () -> refused(port));
            Files.writeString(dir.resolve("answer-later"), "");
            assertEquals(worker + " 0", later.get(30, TimeUnit.SECONDS), "the connection it had finished");
            assertTrue(stopping.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, stopping.exitValue());
        }
    }

    private static boolean refused(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (java.net.ConnectException refused) {
            return true;
        } catch (java.io.IOException other) {
            return false;
        }
    }

    /**
     * A request a timer answers (Workerman's way to answer later) is answered before the worker
     * goes, by a stop within its stopTimeout as by a graceful one: the stop deleted every timer.
     * The timer answers only once the stop has begun.
     */
    @Test
    void aRequestATimerAnswersIsAnsweredBeforeTheWorkerStops(@TempDir Path dir) throws Exception {
        for (String[] stop : new String[][] {{"stop"}, {"stop", "-g"}}) {
            Path own = Files.createDirectories(dir.resolve(stop.length == 1 ? "stop" : "graceful"));
            try (App app = new App(own, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + own)) {
                app.start();
                long worker = app.workers().get(0).pid();
                CompletableFuture<String> later = Async.call(() -> Http.tryGet(app.port(), "/later"));
                assertEquals(worker, ReloadIT.awaitSlowRequest(own));
                Process stopping = app.launch(stop);
                Await.until("the master is stopping", Duration.ofSeconds(30), () -> app.log().contains("is stopping"));
                Files.writeString(own.resolve("answer-later"), "");
                assertEquals(worker + " 0", later.get(30, TimeUnit.SECONDS), String.join(" ", stop) + ": answered by its timer");
                assertTrue(stopping.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, stopping.exitValue());
            }
        }
    }
}
