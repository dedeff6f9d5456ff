package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 2 and 5: the 2-second promises, asserted alone (the "alone" execution runs them one by one). */
@Tag("alone")
@Timeout(120)
class TimingIT {

    @Test
    void killedWorkerIsReplacedWithTheSameIdWithinTwoSeconds(@TempDir Path dir) {
        respawnWithinTwoSeconds(new App(dir, PidApp.class, "-Dapp.count=4"));
    }

    @Test
    void killedWorkerIsReplacedWithinTwoSecondsOnTemurin25(@TempDir Path dir) {
        String java = JavaVersions.temurin25().orElse(null);
        Assumptions.assumeTrue(java != null, "no Temurin 25 JDK under /usr/lib/jvm");
        respawnWithinTwoSeconds(new App(dir, PidApp.class, "-Dapp.count=4").onJava(java));
    }

    private void respawnWithinTwoSeconds(App subject) {
        try (App app = subject) {
            app.start();
            int port = app.port();
            App.WorkerRow victim = app.workers().get(2);

            long killedAt = System.nanoTime();
            Processes.kill(victim.pid(), "KILL");
            String answer = Await.value("a new worker with id 2 answers", Duration.ofSeconds(2), () -> {
                String body = Http.tryGet(port, "/");
                return body != null && body.endsWith(" 2") && !body.startsWith(victim.pid() + " ") ? body : null;
            });
            long millis = (System.nanoTime() - killedAt) / 1_000_000;
            long newPid = Long.parseLong(answer.split(" ")[0]);
            app.track(newPid);
            System.out.println("replacement worker answered " + millis + " ms after kill -9");

            List<App.WorkerRow> after = app.workers();
            assertEquals(newPid, after.get(2).pid(), "status shows the new pid under id 2");
            assertTrue(app.log().contains("worker[web:" + victim.pid() + "] exit with status 9 (SIGKILL)"), app.log());
        }
    }

    @Test
    void workersExitWithinTwoSecondsOfTheMastersDeath(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=4")) {
            app.start();
            List<App.WorkerRow> workers = app.workers();
            Processes.kill(app.masterPid(), "KILL");
            Await.until("every worker exited", Duration.ofSeconds(2),
                    () -> workers.stream().noneMatch(w -> Processes.alive(w.pid())));
        }
    }
}
