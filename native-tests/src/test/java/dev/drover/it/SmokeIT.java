package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 1-3 (and 9: the same on the machine's Temurin 25): start -d, serve, status, stop. */
@Timeout(180)
class SmokeIT {

    @Test
    void startServeStatusStopOnTheDefaultJava(@TempDir Path dir) throws Exception {
        smoke(dir, App.javaOf(System.getProperty("java.home")));
    }

    @Test
    void startServeStatusStopOnTemurin25(@TempDir Path dir) throws Exception {
        String java = JavaVersions.temurin25().orElse(null);
        Assumptions.assumeTrue(java != null, "no Temurin 25 JDK under /usr/lib/jvm");
        assertEquals(25, JavaVersions.feature(java));
        smoke(dir, java);
    }

    /** The java launcher runs a main class that is not public; so do the workers (they failed with IllegalAccessException). */
    @Test
    void workersRunAMainClassThatIsNotPublic(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, "dev.drover.it.apps.HiddenMainApp")) {
            app.start();
            assertEquals("hidden", Http.get(app.port(), "/"));
            assertEquals(0, app.run("stop").code());
        }
    }

    /** Java 25 launches an instance main (JEP 512), in the master; the workers find it the same way. */
    @Test
    void workersRunAnInstanceMainOnTemurin25(@TempDir Path dir) throws Exception {
        String java = JavaVersions.temurin25().orElse(null);
        Assumptions.assumeTrue(java != null, "no Temurin 25 JDK under /usr/lib/jvm");
        try (App app = new App(dir, "dev.drover.it.apps.InstanceMainApp").onJava(java)) {
            app.start();
            assertEquals("instance", Http.get(app.port(), "/"));
            assertEquals(0, app.run("stop").code());
        }
    }

    private void smoke(Path dir, String java) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=4").onJava(java)) {
            app.start();
            List<App.WorkerRow> workers = app.workers();
            assertEquals(List.of(0, 1, 2, 3), workers.stream().map(App.WorkerRow::id).toList(), "status lists ids 0-3");
            workers.forEach(w -> assertTrue(Processes.alive(w.pid()), "worker " + w + " runs"));
            assertEquals(4, workers.stream().map(App.WorkerRow::pid).distinct().count(), "four worker JVMs");
            int port = app.port();

            Set<String> pids = new HashSet<>();
            for (int i = 0; i < 400; i++) {
                String answer = Http.get(port, "/" + i);
                pids.add(answer.split(" ")[0]);
            }
            assertTrue(pids.size() >= 3, "400 requests served by at least 3 workers, got " + pids);

            long master = app.masterPid();
            App.Result stop = app.run("stop");
            assertEquals(0, stop.code(), stop.all());
            assertTrue(stop.out().contains("stop success"), stop.out());
            assertFalse(Processes.alive(master), "master gone");
            workers.forEach(w -> assertFalse(Processes.alive(w.pid()), "worker " + w.pid() + " gone"));
            assertFalse(Files.exists(app.pidFile()), "pid file removed");
            assertTrue(Ports.bindable(port), "a new listener binds port " + port + " at once");

            App.Result again = app.run("stop");
            assertEquals(3, again.code(), again.all());
            assertNotEquals("", again.err());
        }
    }

    @Test
    void anExceptionInOnMessageEndsTheWorkerWith250AndItIsRespawned(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            int port = app.port();
            long before = app.workers().get(0).pid();
            assertEquals(null, Http.tryGet(port, "/crash"), "the crashing request gets no answer");
            Await.until("the worker is replaced", java.time.Duration.ofSeconds(30), () -> {
                String body = Http.tryGet(port, "/");
                return body != null && !body.startsWith(before + " ");
            });
            String log = app.log();
            assertTrue(log.contains("worker[web:" + before + "] exit with status 250"), log);
            assertTrue(log.contains("java.lang.IllegalStateException: crash requested") && log.contains("at dev.drover.it.apps.PidApp"), log);
        }
    }

    @Test
    void statusWhenNotRunningExits3(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class)) {
            App.Result status = app.run("status");
            assertEquals(3, status.code(), status.all());
            assertTrue(status.err().contains("not run"), status.err());
        }
    }

    @Test
    void usageErrorExits2(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class)) {
            assertEquals(2, app.run("frobnicate").code());
            assertEquals(2, app.run("start", "--no-such-option").code());
            try (Stream<Path> files = Files.list(dir)) {
                assertTrue(files.noneMatch(p -> p.toString().endsWith(".pid")), "nothing started");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

}
