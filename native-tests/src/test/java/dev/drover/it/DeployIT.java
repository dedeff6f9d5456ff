package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    private static final String MAIN = "deploy.VersionApp";

    private static String source(String version) {
        return """
                package deploy;
                import dev.drover.Worker;
                public final class VersionApp {
                    public static void main(String[] args) {
                        Worker web = new Worker("http://127.0.0.1:0").setCount(2).setName("web");
                        web.onMessage((connection, request) -> connection.send("%s"));
                        Worker.runAll(args);
                    }
                }
                """.formatted(version);
    }

    @Test
    void reloadAfterReplacingTheJarServesTheNewVersion(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("app.jar");
        Jars.compile(dir, MAIN, source("v1"), jar);
        try (App app = new App(dir, MAIN).withClassPathEntry(jar)) {
            app.start();
            int port = app.port();
            assertEquals("v1", Http.get(port, "/"));

            Path next = dir.resolve("app.jar.new");
            Jars.compile(dir, MAIN, source("v2"), next);
            Files.move(next, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING); // deploy by rename
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

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }
}
