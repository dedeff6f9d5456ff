package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, acceptance 4 and 10: reload runs the code now on disk; start --watch reloads on a change. */
@Timeout(180)
class DeployIT {
    private static String source(String version) {
        return VersionedApp.source(version);
    }

    @Test
    void reloadAfterReplacingTheJarServesTheNewVersion(@TempDir Path dir) throws Exception {
        Path jar = VersionedApp.jar(dir);
        try (App app = VersionedApp.v1(dir)) {
            app.start();
            int port = app.port();
            assertEquals("v1", Http.get(port, "/"));

            VersionedApp.deploy(dir, jar, source("v2"));
            App.Result reload = app.run("reload");
            assertEquals(0, reload.code(), reload.all());
            for (int i = 0; i < 20; i++) {
                assertEquals("v2", Http.get(port, "/"), "every worker serves the new jar");
            }
        }
    }

    @Test
    void watchReloadsEveryWorkerOnceWhenAJarIsTouched(@TempDir Path dir) throws Exception {
        Path extra = dir.resolve("extra.jar");
        Jars.pack(Files.createDirectories(dir.resolve("empty")), extra);
        try (App app = new App(dir, dev.drover.it.apps.PidApp.class, "-Dapp.count=2").withClassPathEntry(extra)) {
            App.Result start = app.run("start", "-d", "--watch");
            assertEquals(0, start.code(), start.all());
            app.masterPid();
            List<App.WorkerRow> before = app.workers();
            Files.setLastModifiedTime(extra, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            Await.until("the reload after the change is done", Duration.ofSeconds(60), () -> app.log().contains("reload done"));
            List<App.WorkerRow> after = app.workers();
            Set<Long> old = new HashSet<>();
            before.forEach(w -> old.add(w.pid()));
            after.forEach(w -> assertTrue(!old.contains(w.pid()), "worker " + w.id() + " replaced"));
            // A second reload would start within one watch check (1 s) of the first; give it three.
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                assertEquals(1, count(app.log(), "the class path changed"), app.log());
                Thread.onSpinWait();
            }
            assertEquals(2, count(app.log().substring(app.log().indexOf("the class path changed")), " exit with status 0"), app.log());
        }
    }

    @Test
    void aSuccessorThatCannotStartLeavesTheOldMasterServing(@TempDir Path dir) throws Exception {
        Path jar = VersionedApp.jar(dir);
        try (App app = VersionedApp.v1(dir)) {
            app.start();
            int port = app.port();
            long master = app.masterPid();
            List<Long> workers = app.workers().stream().map(App.WorkerRow::pid).toList();
            VersionedApp.deploy(dir, jar, source("v2").replace("Worker web = ", "Worker web = (Worker) null; Worker unused = ")
                    .replace("web.onMessage", "new Worker(\"http://127.0.0.1:0\").setCount(2).setName(\"web\").onWorkerStart(w -> {"
                            + " throw new IllegalStateException(\"broken build\"); }).onMessage"));
            App.Result restart = app.run("restart");
            assertEquals(1, restart.code(), restart.all());
            assertTrue(restart.err().contains("restart failed"), restart.err());
            java.util.regex.Matcher successor = java.util.regex.Pattern.compile("new master pid (\\d+)").matcher(restart.out());
            assertTrue(successor.find(), restart.out());
            long successorPid = Long.parseLong(successor.group(1));
            Await.until("nothing of the new master is left", Duration.ofSeconds(30), () -> !Processes.alive(successorPid));
            assertEquals(master, app.masterPid(), "the old master keeps the pid file");
            assertEquals(workers, app.workers().stream().map(App.WorkerRow::pid).toList(), "and its workers");
            assertEquals("v1", Http.get(port, "/"));
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }
}
