package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, acceptance 1 and 2: graceful reloads and restarts under continuous load lose nothing.
 * Alone: the load and wrk take both cores, and other process tests would slow the deploys down.
 */
@Tag("alone")
@Timeout(600)
class ZeroDowntimeIT {

    @Test
    void twentyGracefulReloadsUnderLoadLoseNothing(@TempDir Path dir) throws Exception {
        try (App app = VersionedApp.v1FromJars(dir, "-Dapp.count=4", "-Dapp.wsCount=2")) {
            app.start();
            Await.until("the workers' class archive is ready", Duration.ofSeconds(60), () -> app.log().contains("class archive for the workers ready"));
            int port = app.port("web");
            List<String> wrkReports = new ArrayList<>();
            try (Load load = Load.start(Load.Options.http(port).withWebSocket(app.port("ws")))) {
                load.awaitProgress(10);
                // wrk runs, 20 s at a time, from the first reload until eight reloads have run wholly under it
                // (one that straddles the end of a wrk run does not count); the harness's clients run throughout.
                int underWrk = 0;
                int reloads = 0;
                Wrk wrk = null;
                while (reloads < 20 || underWrk < 8 && reloads < 40) {
                    if (underWrk < 8 && (wrk == null || !wrk.running())) {
                        if (wrk != null) {
                            wrkReports.add(wrk.report());
                        }
                        wrk = Wrk.start(dir, port, 64, 20);
                    }
                    boolean wrkBefore = wrk != null && wrk.running();
                    reloadGracefully(app, ++reloads);
                    if (wrkBefore && wrk.running()) {
                        underWrk++;
                    }
                }
                if (wrk != null) {
                    wrkReports.add(wrk.report());
                }
                assertTrue(underWrk >= 8, "only " + underWrk + " reloads ran wholly under wrk");
                load.awaitProgress(10);
                load.close();
                System.out.println("twenty graceful reloads under load:\n" + load.report());
                assertEquals(0, load.failed(), load.report());
            }
            for (String report : wrkReports) {
                System.out.println("wrk during the reloads:\n" + report);
                assertTrue(Wrk.requests(report) > 0, report);
                assertFalse(report.contains("Socket errors"), report);
                assertFalse(report.contains("Non-2xx"), report);
            }
        }
    }

    @Test
    void aGracefulReloadOfFourWorkersUnderKeepAliveLoadFinishesWithinFiveSeconds(@TempDir Path dir) throws Exception {
        // Deployed as jars, and running long enough for its workers' class archive to be built: the
        // steady state a deploy reloads (from a class directory each worker loads every class itself).
        try (App app = VersionedApp.v1FromJars(dir, "-Dapp.count=4")) {
            app.start();
            Await.until("the workers' class archive is ready", Duration.ofSeconds(60), () -> app.log().contains("class archive for the workers ready"));
            try (Load load = Load.start(Load.Options.http(app.port()).withClients(4, 100))) {
                load.awaitProgress(10);
                long started = System.nanoTime();
                App.Result reload = app.run("reload", "-g");
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                System.out.println("reload -g of 4 workers under keep-alive load: " + took.toMillis() + " ms");
                assertEquals(0, reload.code(), reload.all());
                assertTrue(reload.out().contains("reload done: 4 workers replaced"), reload.out());
                assertTrue(took.compareTo(Duration.ofSeconds(5)) <= 0, "reload -g took " + took.toMillis() + " ms:\n" + app.log());
                load.awaitProgress(10);
                load.close();
                assertEquals(0, load.failed(), load.report());
                assertTrue(load.httpKeepAlive.reconnects.get() > 0, "keep-alive connections were told to close:\n" + load.report());
            }
        }
    }

    /** {@code reload -g}, which must replace every worker of both groups before it returns. */
    private static void reloadGracefully(App app, int n) {
        Set<Long> before = new HashSet<>();
        app.workers().forEach(w -> before.add(w.pid()));
        long started = System.nanoTime();
        App.Result reload = app.run("reload", "-g");
        System.out.printf("reload %d: %d ms%n", n, (System.nanoTime() - started) / 1_000_000);
        assertEquals(0, reload.code(), "reload " + n + ": " + reload.all() + app.log());
        assertTrue(reload.out().contains("reload done: 6 workers replaced"), reload.out());
        List<App.WorkerRow> after = app.workers();
        assertEquals(6, after.size());
        after.forEach(w -> assertFalse(before.contains(w.pid()), "reload " + n + " replaced worker " + w.name() + " " + w.id()));
    }

    @Test
    void tenRestartsWithTheJarReplacedLoseNothingAndKeepTheSocket(@TempDir Path dir) throws Exception {
        Path jar = VersionedApp.jar(dir);
        try (App app = VersionedApp.v1(dir, "-Dapp.count=2", "-Dapp.wsCount=1")) {
            app.start();
            int port = app.port("web");
            int wsPort = app.port("ws");
            Set<String> webSocket = Sockets.listeningInodes(port);
            Set<String> wsSocket = Sockets.listeningInodes(wsPort);
            assertEquals(1, webSocket.size());
            try (Load load = Load.start(Load.Options.http(port).withWebSocket(wsPort).withBody(body -> body.matches("v\\d+")))) {
                load.awaitProgress(10);
                for (int version = 2; version <= 11; version++) {
                    long oldMaster = app.masterPid();
                    VersionedApp.deploy(dir, jar, VersionedApp.source("v" + version));
                    App.Result restart = app.run("restart");
                    assertEquals(0, restart.code(), restart.all() + app.log());
                    assertTrue(restart.out().contains("restart success"), restart.out());
                    long newMaster = app.masterPid();
                    assertTrue(newMaster != oldMaster, "a new master took over");
                    Await.until("the old master is gone", Duration.ofSeconds(30), () -> !Processes.alive(oldMaster));
                    assertEquals("v" + version, Http.get(port, "/"), "the new program answers");
                    assertEquals(webSocket, Sockets.listeningInodes(port), "the very same listening socket");
                    assertEquals(wsSocket, Sockets.listeningInodes(wsPort), "the very same listening socket");
                    assertTrue(Sockets.socketInodes(newMaster).containsAll(webSocket), "held by the new master");
                }
                load.awaitProgress(10);
                load.close();
                System.out.println("ten restarts under load:\n" + load.report());
                assertEquals(0, load.failed(), load.report());
            }
        }
    }
}
