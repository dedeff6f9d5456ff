package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.EchoServerApp;
import dev.drover.it.apps.PidApp;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 4, acceptance 1-3: reload, graceful reload, reloadable = false. */
@Timeout(180)
class ReloadIT {

    @Test
    void reloadReplacesEveryWorkerOneAtATimeWithoutRefusingARequest(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=4")) {
            app.start();
            List<App.WorkerRow> before = app.workers();
            int port = app.port();
            try (Load load = Load.start(Load.Options.http(port))) {
                load.awaitProgress(10);
                App.Result reload = app.run("reload");
                assertEquals(0, reload.code(), reload.all());
                assertTrue(reload.out().contains("reload done: 4 workers replaced"), reload.out());
                load.awaitProgress(10);
                load.close();
                assertEquals(0, load.failed(), "no request refused or failed:\n" + load.report());
            }
            List<App.WorkerRow> after = app.workers();
            assertEquals(List.of(0, 1, 2, 3), after.stream().map(App.WorkerRow::id).toList());
            Set<Long> old = new HashSet<>();
            before.forEach(w -> old.add(w.pid()));
            after.forEach(w -> assertTrue(!old.contains(w.pid()), "worker " + w.id() + " replaced"));
            assertOneAtATime(app.log(), before);
        }
    }

    /** With count 1 too: the old worker keeps its socket until its replacement, bound beside it, is ready. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void reusePortWorkersHandTheirQueuedConnectionsOnWhereTheKernelAllows(int count, @TempDir Path dir) throws Exception {
        Path migrate = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
        String before = Files.exists(migrate) ? Files.readString(migrate).trim() : null;
        int port = Ports.free();
        try (App app = new App(dir, PidApp.class, "-Dapp.count=" + count, "-Dapp.reusePort=true", "-Dapp.listen=http://127.0.0.1:" + port)) {
            app.start();
            if (before == null) {
                assertTrue(app.log().contains("this kernel has no net.ipv4.tcp_migrate_req"), app.log());
                return;
            }
            if (!before.equals("1") && !Files.isWritable(migrate)) {
                assertTrue(app.log().contains("net.ipv4.tcp_migrate_req is " + before + " and cannot be set"), app.log());
                return;
            }
            assertEquals("1", Files.readString(migrate).trim(), app.log());
            try (Load load = Load.start(Load.Options.http(port))) {
                load.awaitProgress(10);
                App.Result reload = app.run("reload");
                assertEquals(0, reload.code(), reload.all());
                load.awaitProgress(10);
                load.close();
                assertEquals(0, load.failed(), "nothing queued on a stopping worker's socket is lost:\n" + load.report());
            }
        } finally {
            if (before != null && !before.equals(Files.readString(migrate).trim())) {
                Files.writeString(migrate, before);
            }
        }
    }

    static int busyWorkers(App app) {
        int busy = 0;
        for (var process : app.status().get("processes")) {
            busy += process.get("status").asText().equals("busy") ? 1 : 0;
        }
        return busy;
    }

    /**
     * The pid of the worker of a PidApp with {@code app.dir} {@code dir} that has begun a {@code /slow}
     * request, once one has. (Polling {@code status} for a busy worker takes a JVM start per poll:
     * on a loaded machine too few of them fell inside an 8-second request.)
     */
    static long awaitSlowRequest(Path dir) {
        return Await.value("a worker in the slow request", Duration.ofSeconds(30),
                () -> App.markers(dir, "slow-").stream().findFirst().map(name -> Long.valueOf(name.substring("slow-".length()))).orElse(null));
    }

    /** In the log, each old worker's exit is followed by its replacement's ready before the next old one exits. */
    private static void assertOneAtATime(String log, List<App.WorkerRow> before) {
        int missing = 0;
        for (String line : log.substring(log.indexOf("reloading")).split("\n")) {
            if (line.contains(" exit with status ")) {
                missing++;
            } else if (line.contains(" ready in ")) {
                missing--;
            }
            assertTrue(missing <= 1, "never more than one worker missing:\n" + log);
        }
        for (App.WorkerRow w : before) {
            assertTrue(log.contains("worker[web:" + w.pid() + "] exit with status 0"), log);
        }
    }

    @Test
    void gracefulReloadLetsTheSlowRequestFinish(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            app.start();
            int port = app.port();
            long old = app.workers().get(0).pid();
            CompletableFuture<String> slow = Async.call(() -> Http.tryGet(port, "/slow?ms=8000"));
            assertEquals(old, awaitSlowRequest(dir));
            App.Result reload = app.run("reload", "-g");
            assertEquals(0, reload.code(), reload.all());
            assertEquals(old + " 0", slow.get(), "the old worker answered the slow request in full");
            assertTrue(!Processes.alive(old), "and then exited");
            assertTrue(app.workers().get(0).pid() != old);
        }
    }

    /**
     * While its replacement starts, the old worker serves as before: its open connections (closing
     * nothing) and new ones; once the replacement is ready it ends them: a client never waits on a
     * worker that is not there yet, nor does a whole worker's worth of clients land on its siblings
     * meanwhile. {@code status} lists it too, after the replacement that has its id.
     */
    @Test
    void theOldWorkerServesItsConnectionsUntilItsReplacementIsReady(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir); KeepAlive kept = new KeepAlive(app.start().port())) {
            long old = app.workers().get(0).pid();
            assertEquals(old + " 0", kept.get("/").body());
            Path hold = Files.createFile(dir.resolve("hold-start"));
            Process reload = app.launch("reload");
            try {
                Await.until("the replacement runs onWorkerStart", Duration.ofSeconds(30), () -> !App.markers(dir, "starting-").isEmpty());
                for (int i = 0; i < 3; i++) {
                    LoadClients.Answer answer = kept.get("/");
                    assertEquals(old + " 0", answer.body());
                    assertFalse(answer.close(), "the old worker keeps its connection while its replacement starts: " + answer);
                }
                assertEquals(old + " 0", Http.get(app.port(), "/"), "and accepts new ones (count 1: nobody else would)");
                List<App.WorkerRow> processes = app.processes();
                assertEquals(List.of(0, 0), processes.stream().map(App.WorkerRow::id).toList(), "status lists both: " + processes);
                assertEquals("spawned", processes.get(0).state(), "the slot's replacement first: " + processes);
                assertEquals(old, processes.get(1).pid(), "then the old worker, which serves meanwhile: " + processes);
                assertEquals("stopping", processes.get(1).state(), processes.toString());
            } finally {
                Files.deleteIfExists(hold);
            }
            assertTrue(reload.waitFor(60, TimeUnit.SECONDS), "reload returned");
            assertEquals(0, reload.exitValue(), app.log());
            assertTrue(kept.closedByServer(), "the old worker closed its idle connection once its replacement was ready");
            String log = app.log().substring(app.log().indexOf("reloading"));
            assertTrue(log.indexOf(" ready in ") < log.indexOf("worker[web:" + old + "] exit with status 0"), log);
            assertTrue(app.workers().get(0).pid() != old);
        }
    }

    /**
     * An address a worker bound itself with listen() in onWorkerStart (count 1, no reusePort: one
     * process may hold it) stays open across a reload: the old worker serves it while its
     * replacement starts, lends the socket to the master, and the replacement's listen() takes it.
     * A client polling it throughout is never refused (before, the old worker closed it at the
     * reload's start and it refused connections until the replacement had bound it).
     */
    @Test
    void anAddressBoundWithListenIsNeverClosedAcrossAReload(@TempDir Path dir) throws Exception {
        int also = Ports.free();
        try (App app = alsoListening(dir, also)) {
            long old = startServing(app, also);
            AtomicBoolean reloading = new AtomicBoolean(true);
            CompletableFuture<List<String>> polled = pollUntilCleared(also, reloading);
            Path hold = Files.createFile(dir.resolve("hold-start"));
            Process reload = app.launch("reload");
            try {
                Await.until("the replacement runs onWorkerStart", Duration.ofSeconds(30), () -> !App.markers(dir, "starting-").isEmpty());
                assertEquals(old + " also", Http.get(also, "/"), "the old worker serves the address while its replacement starts");
            } finally {
                Files.deleteIfExists(hold);
            }
            assertTrue(reload.waitFor(60, TimeUnit.SECONDS), "reload returned");
            assertEquals(0, reload.exitValue(), app.log());
            long now = app.workers().get(0).pid();
            Await.until("the replacement serves the address", Duration.ofSeconds(10), () -> (now + " also").equals(Http.tryGet(also, "/")));
            reloading.set(false);
            List<String> answers = polled.get(30, TimeUnit.SECONDS);
            assertFalse(answers.contains(null) || answers.contains(REFUSED), "a connection failed during the reload: " + answers.stream().distinct().toList());
            assertMasterHoldsOneCopy(app, also);
            assertTrue(answers.contains(old + " also") && answers.contains(now + " also"), answers.stream().distinct().toList().toString());
        }
    }

    /**
     * A restart does the same for the new master's workers: the old master hands over its copies of
     * the sockets its workers bound themselves (its workers could not bind those addresses beside
     * them, and the restart used to fail with EADDRINUSE), and the old workers serve them until the
     * new workers are ready.
     */
    @Test
    void aRestartPassesAnAddressBoundWithListenToTheNewMastersWorkers(@TempDir Path dir) throws Exception {
        int also = Ports.free();
        try (App app = alsoListening(dir, also)) {
            long old = startServing(app, also);
            long oldMaster = app.masterPid();
            AtomicBoolean restarting = new AtomicBoolean(true);
            CompletableFuture<List<String>> polled = pollUntilCleared(also, restarting);
            App.Result restart = app.run("restart");
            assertEquals(0, restart.code(), restart.all() + app.log());
            Await.until("the new master serves", Duration.ofSeconds(30), () -> app.masterPid() != oldMaster);
            long now = app.workers().get(0).pid();
            Await.until("the new worker serves the address", Duration.ofSeconds(10), () -> (now + " also").equals(Http.tryGet(also, "/")));
            restarting.set(false);
            List<String> answers = polled.get(30, TimeUnit.SECONDS);
            assertFalse(answers.contains(null) || answers.contains(REFUSED), "a connection failed during the restart: " + answers.stream().distinct().toList());
            assertMasterHoldsOneCopy(app, also);
            assertTrue(answers.contains(old + " also"), answers.stream().distinct().toList().toString());
        }
    }

    /**
     * A reload while a restart's new master starts is refused: it would replace workers the old
     * master is about to stop, and its end would tell systemd the old master is the service's again.
     */
    @Test
    void aReloadDuringARestartIsRefused(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            app.start();
            long oldMaster = app.masterPid();
            Files.writeString(dir.resolve("hold-start"), ""); // the new master's worker waits in onWorkerStart: the restart is under way
            Process restart = app.launch("restart");
            Await.until("the new master's worker starts", Duration.ofSeconds(30), () -> !App.markers(dir, "starting-").isEmpty(), app::log);
            App.Result reload = app.run("reload");
            Files.delete(dir.resolve("hold-start"));
            assertTrue(restart.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, restart.exitValue(), app.log());
            assertEquals(1, reload.code(), reload.all() + app.log());
            assertTrue(reload.err().contains("a restart is in progress: its new master (pid ") && reload.err().contains("this reload is ignored"),
                    reload.all());
            Await.until("the new master serves", Duration.ofSeconds(30), () -> app.masterPid() != oldMaster);
            assertTrue(!app.log().contains("reloading"), "no reload began: " + app.log());
        }
    }

    /** PidApp with count 1, also listening on {@code also} with listen() in onWorkerStart. */
    private static App alsoListening(Path dir, int also) {
        return new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir, "-Dapp.alsoListen=http://127.0.0.1:" + also);
    }

    /** Waits until a worker other than {@code old} answers on {@code also}. */
    private static void awaitServedByAnotherThan(long old, int also, String what, Duration within) {
        Await.until(what, within, () -> {
            String answer = Http.tryGet(also, "/");
            return answer != null && !answer.startsWith(old + " ");
        });
    }

    /** Starts {@code app} and returns its worker's pid, which answers on {@code also}. */
    private static long startServing(App app, int also) throws Exception {
        app.start();
        long pid = app.workers().get(0).pid();
        assertEquals(pid + " also", Http.get(also, "/"));
        return pid;
    }

    /**
     * The master holds a copy of a worker's own socket from its READY on: a restart passes it on
     * without asking the worker, which may be busy (a callback holding its event loop), and the
     * restart goes on meanwhile.
     */
    @Test
    void aRestartNeedsNothingFromABusyWorker(@TempDir Path dir) throws Exception {
        int also = Ports.free();
        try (App app = alsoListening(dir, also)) {
            long old = startServing(app, also);
            CompletableFuture<String> slow = Async.call(() -> Http.tryGet(app.port(), "/slow?ms=8000"));
            assertEquals(old, awaitSlowRequest(dir));
            Process restart = app.launch("restart", "-g");
            awaitServedByAnotherThan(old, also, "a new worker serves the address", Duration.ofSeconds(30));
            assertFalse(slow.isDone(), "the new worker took the socket while the old one was still busy");
            assertEquals(old + " 0", slow.get(30, TimeUnit.SECONDS), "the old worker finished its request (restart -g)");
            assertTrue(restart.waitFor(60, TimeUnit.SECONDS), "restart returned");
            assertEquals(0, restart.exitValue(), app.log());
        }
    }

    /**
     * A worker that dies leaves its own socket with the master: connections to that address wait in
     * its backlog, rather than being refused, until the respawned worker takes it and answers them.
     */
    @Test
    void aDeadWorkersOwnAddressWaitsForItsRespawn(@TempDir Path dir) throws Exception {
        int also = Ports.free();
        try (App app = alsoListening(dir, also)) {
            long old = startServing(app, also);
            AtomicBoolean respawning = new AtomicBoolean(true);
            CompletableFuture<List<String>> polled = pollUntilCleared(also, respawning);
            Processes.kill(old, "KILL");
            long now = Await.value("the worker respawned", Duration.ofSeconds(30),
                    () -> app.workers().stream().map(App.WorkerRow::pid).filter(pid -> pid != old && pid != 0).findFirst().orElse(null));
            Await.until("the respawned worker serves the address", Duration.ofSeconds(10), () -> (now + " also").equals(Http.tryGet(also, "/")));
            respawning.set(false);
            List<String> answers = polled.get(30, TimeUnit.SECONDS);
            assertFalse(answers.contains(REFUSED), "a connection was refused while the worker respawned: " + answers.stream().distinct().toList());
            assertTrue(answers.contains(now + " also"), answers.stream().distinct().toList().toString());
            assertMasterHoldsOneCopy(app, also);
        }
    }

    /** The master holds one copy of the socket its worker bound itself on {@code port}, for the slot's next worker (a resumed worker lends it again). */
    private static void assertMasterHoldsOneCopy(App app, int port) {
        Set<String> listening = Sockets.listeningInodes(port);
        assertEquals(1, listening.size(), "one socket listens on " + port);
        Await.until("the master holds one copy of the socket on " + port, Duration.ofSeconds(10),
                () -> Processes.fdTargets(app.masterPid()).stream().filter(t -> listening.stream().anyMatch(inode -> t.endsWith("socket:[" + inode + "]"))).count() == 1);
    }

    /**
     * A worker handed the slot's copy that does not take it (its address is written another way,
     * here after a change of its configuration) fails to bind beside the master's copy and dies
     * before it is ready: the master closes its copy, and the next worker binds the address itself
     * (before, the slot failed that way for good, its clients waiting in the copy's backlog).
     */
    @Test
    void aWorkerThatCannotTakeItsSlotsCopyHasItClosed(@TempDir Path dir) throws Exception {
        int also = Ports.free();
        try (App app = alsoListening(dir, also)) {
            long old = startServing(app, also);
            Files.writeString(dir.resolve("also-address"), "http://localhost:" + also);
            Processes.kill(old, "KILL");
            awaitServedByAnotherThan(old, also, "a worker serves the address again, bound as the new configuration says", Duration.ofSeconds(60));
            assertTrue(app.log().contains("exited before it was ready with the listeners its slot kept for it; closing them: [tcp 127.0.0.1:" + also + "]"), app.log());
        }
    }

    private static final String REFUSED = "refused";

    /**
     * GETs {@code port} about every millisecond until {@code running} is cleared: each answer's
     * body, {@link #REFUSED} for a refused connection, null for another failure.
     */
    private static CompletableFuture<List<String>> pollUntilCleared(int port, AtomicBoolean running) {
        return Async.call(() -> {
            List<String> answers = new ArrayList<>();
            while (running.get()) {
                try {
                    answers.add(Http.get(port, "/"));
                } catch (java.net.ConnectException refused) {
                    answers.add(REFUSED);
                } catch (java.io.IOException failed) {
                    answers.add(null);
                }
                LockSupport.parkNanos(1_000_000); // a client's pace, not a wait for anything
            }
            return answers;
        });
    }

    /** A replacement whose code no longer listens on a lent address has it closed as it gets ready: no process keeps it. */
    @Test
    void aLentAddressTheNewCodeDoesNotListenOnIsClosed(@TempDir Path dir) throws Exception {
        int also = Ports.free();
        try (App app = alsoListening(dir, also)) {
            long old = startServing(app, also);
            Files.createFile(dir.resolve("no-also"));
            App.Result reload = app.run("reload");
            assertEquals(0, reload.code(), reload.all());
            Await.until("the old worker exited", Duration.ofSeconds(10), () -> !Processes.alive(old));
            assertTrue(app.log().contains("lent on tcp 127.0.0.1:" + also + " was not listened on again: closed"), app.log());
            try (ServerSocket free = new ServerSocket()) {
                free.bind(new InetSocketAddress("127.0.0.1", also)); // fails while any process (the master too) holds it
            }
        }
    }

    /**
     * A replacement that dies before it is ready ends the reload, and the old worker it would have
     * replaced serves on: its connections, new ones on the master's socket, and the address it bound
     * itself with listen() (which it lent the replacement, which took it before it failed): a deploy
     * of code that cannot start leaves the service as it was. The next reload, of code that starts,
     * goes on.
     */
    @Test
    void theOldWorkerServesOnWhenItsReplacementFails(@TempDir Path dir) throws Exception {
        int also = Ports.free();
        try (App app = alsoListening(dir, also)) {
            assertServesOnWhenItsReplacementFails(app, dir, "fail-after-listen", also);
        }
    }

    /** The same for a reusePort worker, whose listening socket is its own (and stays open throughout). */
    @Test
    void aReusePortWorkerServesOnWhenItsReplacementFails(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir, "-Dapp.reusePort=true",
                "-Dapp.listen=http://127.0.0.1:" + port)) {
            assertServesOnWhenItsReplacementFails(app, dir, "fail-start", 0);
        }
    }

    private static void assertServesOnWhenItsReplacementFails(App app, Path dir, String failure, int also) throws Exception {
        try (KeepAlive kept = new KeepAlive(app.start().port())) {
            int port = app.port();
            long old = app.workers().get(0).pid();
            assertEquals(old + " 0", kept.get("/").body());
            Files.createFile(dir.resolve(failure));
            App.Result reload = app.run("reload");
            assertEquals(1, reload.code(), reload.all());
            assertTrue(reload.err().contains("reload stopped: the new worker[web:"), reload.err());
            assertTrue(reload.err().contains(failure + " exists"), "the reason: " + reload.err());
            assertTrue(reload.err().contains("worker[web:" + old + "] serves on"), reload.err());
            assertFalse(Files.exists(dir.resolve("reloaded-" + old)), "onWorkerReload runs just before a worker goes, not in one that serves on");
            LoadClients.Answer answer = kept.get("/");
            assertEquals(old + " 0", answer.body());
            assertFalse(answer.close(), "its connection kept: " + answer);
            assertEquals(old + " 0", Http.get(port, "/"), "a new connection: it accepted them all along");
            if (also != 0) {
                assertEquals(old + " also", Http.get(also, "/"), "the old worker answers on the address it bound itself");
                assertMasterHoldsOneCopy(app, also);
            }
            App.WorkerRow row = app.workers().get(0);
            assertEquals(List.of(old, "ready"), List.of(row.pid(), row.state()));

            Files.delete(dir.resolve(failure));
            App.Result next = app.run("reload");
            assertEquals(0, next.code(), next.all());
            assertTrue(kept.closedByServer(), "the old worker ended its connection once replaced");
            long now = app.workers().get(0).pid();
            assertTrue(now != old && !Processes.alive(old), app.log());
            assertEquals(now + " 0", Http.get(port, "/"));
            if (also != 0) {
                assertEquals(now + " also", Http.get(also, "/"));
                assertMasterHoldsOneCopy(app, also);
            }
        }
    }

    @Test
    void unreloadableWorkersKeepTheirPidAndRunOnWorkerReload(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2", "-Dapp.reloadable=false", "-Dapp.dir=" + dir)) {
            app.start();
            List<App.WorkerRow> before = app.workers();
            App.Result reload = app.run("reload");
            assertEquals(0, reload.code(), reload.all());
            for (App.WorkerRow w : before) {
                Await.until("onWorkerReload ran in " + w.pid(), Duration.ofSeconds(10), () -> Files.exists(dir.resolve("reloaded-" + w.pid())));
            }
            assertEquals(before.stream().map(App.WorkerRow::pid).toList(), app.workers().stream().map(App.WorkerRow::pid).toList());
        }
    }

    /** Workerman runs onWorkerReload in a reloadable worker too, before it stops: by the master's reload and by its own USR1. */
    @Test
    void reloadableWorkersRunOnWorkerReloadBeforeTheyGo(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2", "-Dapp.dir=" + dir)) {
            app.start();
            List<App.WorkerRow> before = app.workers();
            App.Result reload = app.run("reload");
            assertEquals(0, reload.code(), reload.all());
            for (App.WorkerRow w : before) {
                assertTrue(Files.exists(dir.resolve("reloaded-" + w.pid())), "onWorkerReload ran in " + w.pid() + " before it exited");
                assertFalse(Processes.alive(w.pid()));
            }
            long one = app.workers().get(0).pid();
            Processes.kill(one, "USR1");
            Await.until("worker " + one + " replaced", Duration.ofSeconds(20), () -> !Processes.alive(one));
            assertTrue(Files.exists(dir.resolve("reloaded-" + one)), "onWorkerReload ran before USR1 stopped it");
        }
    }

    /** A slot whose worker crashed and waits out its backoff starts at once on a reload: the reload deploys the fix. */
    @Test
    void aReloadStartsASlotWaitingOutItsBackoffAtOnce(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2", "-Dapp.dir=" + dir)) {
            app.start();
            Files.writeString(dir.resolve("fail-start"), "");
            Processes.kill(app.workers().get(0).pid(), "KILL");
            Await.until("slot 0 crashed into a 16 s backoff", Duration.ofSeconds(90), () -> app.log().contains("respawning in 16 s"));
            Files.delete(dir.resolve("fail-start"));
            App.Result reload = app.run("reload");
            assertEquals(0, reload.code(), reload.all());
            assertTrue(reload.out().contains("starting now, not after its respawn backoff, with the code on disk: web id 0"), reload.out());
            Await.until("slot 0 ready long before its backoff ends", Duration.ofSeconds(8),
                    () -> app.workers().stream().filter(w -> w.id() == 0 && w.state().equals("ready")).count() == 1);
        }
    }

    /** Starts {@code app}, an EchoServerApp on {@code port}, and connects {@code idle} to it: a text client that sends nothing. */
    private static void startHoldingAnIdleClient(App app, int port, java.net.Socket idle) throws java.io.IOException {
        app.start();
        idle.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
        Await.until("the worker holds the idle connection", Duration.ofSeconds(20),
                () -> app.status().get("processes").get(0).get("connections").asInt() == 1);
    }

    /** Launches reload -g, and returns it once the worker {@code old} is replaced: its replacement is ready, it lets its idle client finish. */
    private static Process reloadGracefullyUntilReplaced(App app, long old) {
        Process reload = app.launch("reload", "-g");
        Await.until("the replacement is ready", Duration.ofSeconds(30),
                () -> app.workers().stream().anyMatch(w -> w.pid() != old && w.state().equals("ready")));
        return reload;
    }

    /**
     * reload -g leaves a text connection to its client; once every replacement is ready, the old
     * worker's drain no longer holds deploys back: the next reload runs, and ends the first.
     */
    @Test
    void aReloadRunsWhileTheLastOnesOldWorkersOnlyFinishTheirConnections(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (App app = new App(dir, EchoServerApp.class, "-Dapp.port=" + port);
             java.net.Socket idle = new java.net.Socket()) {
            startHoldingAnIdleClient(app, port, idle);
            long old = app.workers().get(0).pid();
            Process first = reloadGracefullyUntilReplaced(app, old);
            Await.until("the first reload says what it waits for", Duration.ofSeconds(20), () -> app.launchedOut()
                    .contains("every worker is replaced; waiting for the old ones (pid " + old + ") to let their clients finish"));
            App.Result second = app.run("reload");
            assertEquals(0, second.code(), second.all());
            assertTrue(second.out().contains("reload done: 1 workers replaced"), second.out());
            assertTrue(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the first reload ended");
            assertEquals(0, first.exitValue());
            assertTrue(app.log().contains("reload done: 1 workers replaced; 1 old workers still finishing their connections"), app.log());
            assertTrue(Processes.alive(old), "the first reload's old worker still serves its client");
        }
    }

    /**
     * After restart -g, the old master lets an idle text client finish: a stop of the service
     * (sent to the new master) stops it too, and nothing keeps the lock or the port. Before, the
     * old master kept both: start said "already running", and the port queued connections nobody took.
     */
    @Test
    void aStopAfterAGracefulRestartStopsTheOldMasterStillDraining(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (App app = new App(dir, EchoServerApp.class, "-Dapp.port=" + port);
             java.net.Socket idle = new java.net.Socket()) {
            startHoldingAnIdleClient(app, port, idle);
            long old = app.masterPid();
            Process restart = app.launch("restart", "-g");
            Await.until("the new master took over", Duration.ofSeconds(60), () -> app.masterPid() != old);
            long successor = app.masterPid();
            assertTrue(Processes.alive(old), "the old master lets its client finish");
            Await.until("restart -g says what it waits for", Duration.ofSeconds(20),
                    () -> app.launchedOut().contains("waiting for the old master's workers (pid "));
            App.Result stop = app.run("stop");
            assertEquals(0, stop.code(), stop.all());
            Await.until("the old master stopped too", Duration.ofSeconds(30), () -> !Processes.alive(old));
            assertFalse(Processes.alive(successor));
            assertTrue(restart.waitFor(30, TimeUnit.SECONDS), "restart -g returned");
            assertEquals(3, app.run("status").code(), "no master, no lock");
            App.Result again = app.run("start", "-d");
            assertEquals(0, again.code(), "the port and the lock are free: " + again.all());
        }
    }

    /** A restart, as a reload, does not wait for a reload -g whose old worker only lets its client finish. */
    @Test
    void aRestartRunsWhileAReloadsOldWorkerOnlyFinishesItsConnections(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (App app = new App(dir, EchoServerApp.class, "-Dapp.port=" + port);
             java.net.Socket idle = new java.net.Socket()) {
            startHoldingAnIdleClient(app, port, idle);
            Process reload = reloadGracefullyUntilReplaced(app, app.workers().get(0).pid());
            App.Result restart = app.run("restart");
            assertEquals(0, restart.code(), restart.all());
            assertTrue(reload.waitFor(30, TimeUnit.SECONDS), "the reload ended");
            assertEquals(0, reload.exitValue());
            assertTrue(app.log().contains("old workers still finishing their connections, which this restart does not wait for"), app.log());
        }
    }

    /**
     * SIGTERM to the master during a restart (systemd's stop, a script's kill) stops the service:
     * the new master, which would have taken over once its workers were ready, stops too, and the
     * restart says why. It took over and served on, and the restart said the master closed its connection.
     */
    @Test
    void sigtermDuringARestartStopsTheNewMasterToo(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            app.start();
            long master = app.masterPid();
            Path hold = Files.createFile(dir.resolve("hold-start"));
            try {
                Process restart = app.launch("restart");
                Await.until("the new master's worker runs onWorkerStart", Duration.ofSeconds(30), () -> !App.markers(dir, "starting-").isEmpty());
                Processes.kill(master, "TERM");
                assertTrue(restart.waitFor(60, TimeUnit.SECONDS), "restart returned");
                assertEquals(1, restart.exitValue());
                String said = Files.readString(dir.resolve("foreground.err"));
                assertTrue(said.contains("restart abandoned: this master (pid " + master + ") was told to stop, and its new master (pid "), said);
            } finally {
                Files.deleteIfExists(hold);
            }
            Await.until("the old master is gone", Duration.ofSeconds(30), () -> !Processes.alive(master));
            App.Result status = app.run("status");
            assertEquals(3, status.code(), "nothing runs: " + status.all() + "\n" + app.log());
        }
    }

    @Test
    void aReloadDuringAReloadIsIgnored(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2", "-Dapp.dir=" + dir)) {
            app.start();
            int port = app.port();
            // The first reload lasts as long as this request (its old worker must exit first): long
            // enough that two commands on a loaded CI machine (each a JVM start) fit well inside it.
            CompletableFuture<String> slow = Async.call(() -> Http.tryGet(port, "/slow?ms=25000"));
            awaitSlowRequest(dir);
            Process first = app.launch("reload", "-g");
            Await.until("the first reload runs", Duration.ofSeconds(10), () -> app.log().contains("reloading gracefully"));
            App.Result second = app.run("reload");
            assertEquals(1, second.code(), second.all());
            assertTrue(second.err().contains("a reload is in progress"), second.err());
            assertTrue(first.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, first.exitValue());
            assertTrue(app.log().contains("reload ignored: a reload is in progress"), app.log());
            slow.get();
        }
    }
}
