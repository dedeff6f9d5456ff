package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import dev.drover.master.os.Signals;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, acceptance 9: every signal of the DESIGN table, sent with kill, to the master and to a worker. */
@Timeout(120)
class SignalsIT {

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM", "HUP", "TSTP", "WINCH"})
    void stopSignalsStopTheMaster(String signal, @TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            long master = app.masterPid();
            long worker = app.workers().get(0).pid();
            Processes.kill(master, signal);
            Await.until("the master stopped on SIG" + signal, Duration.ofSeconds(20), () -> !Processes.alive(master));
            assertFalse(Processes.alive(worker));
            assertFalse(Files.exists(app.pidFile()));
            assertTrue(app.log().contains("received SIG" + signal), app.log());
        }
    }

    @Test
    void aForegroundMasterThatInheritedIntIgnoredStopsOnItAndKeepsHupIgnored(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            Process master = app.launchIgnoring("INT TERM HUP", "start"); // `app start &` in a script, under nohup
            app.track(master.pid());
            Await.until("the master is up", Duration.ofSeconds(60), () -> app.log().contains("started: 1 workers ready"));
            long worker = app.workers().get(0).pid();
            long ignored = Long.parseUnsignedLong(Processes.status(master.pid(), "SigIgn").orElseThrow().trim(), 16);
            assertEquals(List.of(false, false, true), List.of("INT", "TERM", "HUP").stream()
                    .map(name -> (ignored & 1L << Signals.number(name) - 1) != 0).toList(), "INT, TERM, HUP ignored: " + Long.toHexString(ignored));
            assertTrue(app.log().contains("SIGINT was ignored when the master started") && app.log().contains("SIGTERM was ignored"), app.log());
            Processes.kill(master.pid(), "HUP"); // ignored: discarded by the kernel as it is sent
            Processes.kill(master.pid(), "INT");
            assertTrue(master.waitFor(30, TimeUnit.SECONDS), "the master stopped on SIGINT:\n" + app.log());
            assertEquals(0, master.exitValue(), app.log());
            assertFalse(Processes.alive(worker));
            assertTrue(app.log().contains("received SIGINT") && !app.log().contains("received SIGHUP"), app.log());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"USR1", "USR2"})
    void reloadSignalsReplaceEveryWorker(String signal, @TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2")) {
            app.start();
            Set<Long> before = pids(app.workers());
            Processes.kill(app.masterPid(), signal);
            Await.until("the reload is done", Duration.ofSeconds(60), () -> app.log().contains("reload done: 2 workers replaced"));
            Set<Long> after = pids(app.workers());
            assertTrue(after.stream().noneMatch(before::contains), before + " -> " + after);
            assertTrue(app.log().contains(signal.equals("USR2") ? "reloading gracefully" : "reloading"), app.log());
        }
    }

    @Test
    void ioWritesTheConnectionsToTheLogAndPipeIsIgnored(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            int port = app.port();
            try (Socket open = new Socket("127.0.0.1", port)) {
                Await.until("the worker has the connection", Duration.ofSeconds(10),
                        () -> app.status().get("summary").get("connections").asInt() == 1);
                Processes.kill(app.masterPid(), "IO");
                Await.until("connections are in the log", Duration.ofSeconds(10),
                        () -> app.log().contains("127.0.0.1:" + open.getLocalPort()));
                assertTrue(app.log().contains("Foreign Address"), app.log());
            }
            long master = app.masterPid();
            Processes.kill(master, "PIPE");
            assertEquals(1, app.workers().size(), "the master still answers after SIGPIPE");
            assertTrue(Processes.alive(master));
        }
    }

    /** Workerman's SIGIOT (SIGABRT on Linux): the status table into the log, from the master; a worker's own line, from a worker; both go on. */
    @Test
    void iotWritesTheStatusToTheLog(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            long master = app.masterPid();
            long worker = app.workers().get(0).pid();
            Processes.kill(master, "ABRT");
            Await.until("the status table is in the log", Duration.ofSeconds(10), () -> app.log().contains("status:\n"));
            assertTrue(app.log().contains("PROCESS STATUS") && app.log().contains("total_request"), app.log());
            Processes.kill(worker, "ABRT");
            Await.until("the worker's status line is in the log", Duration.ofSeconds(10),
                    () -> app.log().contains("worker[web:" + worker + "] status: busy=0 connections=0"));
            assertTrue(Processes.alive(master));
            assertEquals(List.of(worker), app.workers().stream().map(App.WorkerRow::pid).toList(), "neither aborted");
        }
    }

    @Test
    void ttinAndTtouAddAndRemoveAWorkerPerGroup(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2")) {
            app.start();
            long master = app.masterPid();
            Processes.kill(master, "TTIN");
            Await.until("three ready workers", Duration.ofSeconds(30), () -> ready(app.workers()) == 3);
            assertEquals(List.of(0, 1, 2), app.workers().stream().map(App.WorkerRow::id).toList());
            Processes.kill(master, "TTOU");
            Await.until("two workers", Duration.ofSeconds(30), () -> app.workers().size() == 2);
            assertEquals(List.of(0, 1), app.workers().stream().map(App.WorkerRow::id).toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "USR1"})
    void aWorkerSignalledDirectlyIsReplacedAtOnce(String signal, @TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2")) {
            app.start();
            App.WorkerRow victim = app.workers().get(1);
            Processes.kill(victim.pid(), signal);
            Await.until("worker 1 was replaced", Duration.ofSeconds(30), () -> {
                App.WorkerRow now = app.workers().get(1);
                return now.pid() != victim.pid() && now.state().equals("ready");
            });
            assertTrue(app.log().contains("worker[web:" + victim.pid() + "] exit with status 0"), app.log());
            assertFalse(app.log().contains("respawning in"), "no backoff for a worker told to stop: " + app.log());
        }
    }

    /** TTIN and TTOU are the master's: a worker that gets one keeps running (their default stops a process). */
    @Test
    void aWorkerIgnoresTtinAndTtou(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            long worker = app.workers().get(0).pid();
            Processes.kill(worker, "TTIN");
            Processes.kill(worker, "TTOU");
            // A stopped process runs no handler: IO, sent after them, is answered only by a worker still running.
            Processes.kill(worker, "IO");
            Await.until("the worker's connections in the log", Duration.ofSeconds(30),
                    () -> app.log().contains("worker[web:" + worker + "] connections:"));
            String state = Files.readString(Path.of("/proc/" + worker + "/stat")).replaceFirst(".*\\) ", "").substring(0, 1);
            assertNotEquals("T", state, "the worker is not stopped");
            assertEquals(List.of(worker), app.workers().stream().map(App.WorkerRow::pid).toList());
        }
    }

    private static Set<Long> pids(List<App.WorkerRow> rows) {
        return rows.stream().map(App.WorkerRow::pid).collect(Collectors.toSet());
    }

    private static long ready(List<App.WorkerRow> rows) {
        return rows.stream().filter(r -> r.state().equals("ready")).count();
    }
}
