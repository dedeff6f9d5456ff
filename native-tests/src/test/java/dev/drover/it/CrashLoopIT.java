package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.BrokenStartApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, acceptance 7: a crash loop backs off and the master stays near idle (measured alone). */
@Tag("alone")
@Timeout(120)
class CrashLoopIT {

    @Test
    void aThrowingOnWorkerStartIsLoggedAndRespawnedWithBackoff(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, BrokenStartApp.class)) {
            Process master = app.launch("start");
            app.track(master.pid());
            try {
                Await.until("the master wrote its pid file", Duration.ofSeconds(30), () -> Files.exists(app.pidFile()));
                Await.until("the first crash is logged", Duration.ofSeconds(30), () -> app.log().contains("exit with status 250"));
                long cpuBefore = cpuTicks(master.pid());
                long wallBefore = System.nanoTime();
                Await.until("20 s of crash loop", Duration.ofSeconds(25), () -> System.nanoTime() - wallBefore >= 20_000_000_000L);
                double seconds = (System.nanoTime() - wallBefore) / 1e9;
                double cpu = (cpuTicks(master.pid()) - cpuBefore) / 100.0 / seconds;
                System.out.printf("master CPU over %.1f s of crash loop: %.2f%%%n", seconds, cpu * 100);
                assertTrue(cpu < 0.05, "master CPU " + cpu * 100 + "% must stay under 5%");

                String log = app.log();
                assertTrue(log.contains("java.lang.IllegalStateException: onWorkerStart is broken on purpose"), log);
                assertTrue(log.contains("at dev.drover.it.apps.BrokenStartApp"), "stack trace in the log: " + log);
                assertTrue(log.contains("respawning in 1 s") && log.contains("respawning in 2 s") && log.contains("respawning in 4 s")
                        && log.contains("respawning in 8 s"), "the backoff doubles: " + log);
                int exits = log.split("exit with status 250", -1).length - 1;
                assertTrue(exits >= 4 && exits <= 7, "respawns are spread out: " + exits + " exits in about 25 s");
            } finally {
                master.destroy();
                master.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A worker that crashes soon after it is ready (a JVM's fatal error, SIGABRT) backs off as one
     * that exits by itself: it was replaced at once, as a worker killed from outside is, about twice
     * a second, each crash writing an hs_err file.
     */
    @Test
    void aWorkerThatCrashesOnceReadyBacksOff(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, dev.drover.it.apps.PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            app.start();
            int port = app.port();
            App.WorkerRow first = app.workers().get(0);
            Files.createFile(dir.resolve("crash-when-ready"));
            Processes.kill(first.pid(), "KILL"); // replaced at once, by a worker that crashes
            Await.until("the second crash backs off 2 s", Duration.ofSeconds(60), () -> app.log().contains("respawning in 2 s"), app::log);
            String log = app.log();
            assertTrue(log.contains("exit with status 6 (SIGABRT)") && log.contains("respawning in 1 s"), log);
            Files.delete(dir.resolve("crash-when-ready"));
            Await.until("a worker that does not crash serves", Duration.ofSeconds(30), () -> Http.tryGet(port, "/") != null);
            app.workers().forEach(worker -> app.track(worker.pid()));
        }
    }

    /** A worker that runs out of heap ends with status 3 (-XX:+ExitOnOutOfMemoryError), and the log says what that means. */
    @Test
    void aWorkerOutOfHeapIsNamedSo(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, dev.drover.it.apps.PidApp.class, "-Dapp.count=1", "-Dapp.jvmOptions=-Xmx32m")) {
            app.start();
            App.WorkerRow worker = app.workers().get(0);
            Http.tryGet(app.port(), "/oom");
            Await.until("the worker exits", Duration.ofSeconds(30), () -> app.log().contains("worker[web:" + worker.pid() + "] exit with status 3"));
            assertTrue(app.log().contains("worker[web:" + worker.pid() + "] id 0 ran out of memory, if 3 is the JVM's -XX:+ExitOnOutOfMemoryError"), app.log());
        }
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
