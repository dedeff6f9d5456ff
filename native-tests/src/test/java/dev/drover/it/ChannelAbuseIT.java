package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: garbage or a flood on a worker's control channel kills that worker, not the master. */
@Timeout(120)
class ChannelAbuseIT {

    @ParameterizedTest
    @CsvSource({"/garbage, sent garbage on its control channel", "/flood, control messages in a second"})
    void theWorkerIsKilledAndReplacedAndTheMasterGoesOn(String path, String logged, @TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            long master = app.masterPid();
            App.WorkerRow abuser = app.workers().get(0);
            int port = app.port();
            Http.tryGet(port, path); // the answer may not make it: the worker is killed
            Await.until("the master kills worker " + abuser.pid(), Duration.ofSeconds(30),
                    () -> app.log().contains("worker[web:" + abuser.pid() + "] id 0 " ) && app.log().contains(logged));
            String answer = Await.value("a new worker answers", Duration.ofSeconds(30), () -> {
                String body = Http.tryGet(port, "/");
                return body != null && !body.startsWith(abuser.pid() + " ") ? body : null;
            });
            app.track(Long.parseLong(answer.split(" ")[0]));
            assertTrue(Processes.alive(master), "the master lives");
            assertEquals(master, app.masterPid());
            assertEquals(1, app.workers().size(), "status answers");
            assertTrue(app.log().contains("worker[web:" + abuser.pid() + "] exit with status 9 (SIGKILL)"), app.log());
        }
    }
}
