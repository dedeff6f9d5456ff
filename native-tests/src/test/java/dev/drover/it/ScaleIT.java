package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, acceptance 3: TTIN, TTOU and {@code scale NAME COUNT}; ids stay dense and status follows. */
@Timeout(120)
class ScaleIT {

    @Test
    void ttinTwiceThenScaleBackToTwo(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2")) {
            app.start();
            long master = app.masterPid();
            Processes.kill(master, "TTIN");
            awaitReady(app, List.of(0, 1, 2));
            Processes.kill(master, "TTIN");
            List<App.WorkerRow> four = awaitReady(app, List.of(0, 1, 2, 3));
            assertEquals(4, app.status().get("workers").get(0).get("count").asInt(), "status shows count 4");

            App.Result scale = app.run("scale", "web", "2");
            assertEquals(0, scale.code(), scale.all());
            assertTrue(scale.out().contains("worker[web] count is now 2 (scale, was 4)"), scale.out());
            List<App.WorkerRow> two = awaitReady(app, List.of(0, 1));
            assertEquals(four.subList(0, 2), two, "ids 0 and 1 keep their processes");
            four.subList(2, 4).forEach(w -> Await.until("worker " + w.pid() + " gone", Duration.ofSeconds(10), () -> !Processes.alive(w.pid())));
            assertEquals(2, app.status().get("workers").get(0).get("count").asInt(), "status shows count 2");

            Processes.kill(master, "TTOU");
            awaitReady(app, List.of(0));
        }
    }

    /**
     * Workers scaled away while they start (killed after stopTimeout, still in onWorkerStart) are no
     * failed start: {@code start -d} stopped the whole application, saying its worker "exited with status 9 before it was ready".
     */
    @Test
    void scalingDownWhileStartingIsNoFailedStart(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=3", "-Dapp.dir=" + dir)) {
            Path hold = Files.createFile(dir.resolve("hold-start"));
            Process start = app.launch("start", "-d");
            try {
                Await.until("three workers run onWorkerStart", Duration.ofSeconds(60), () -> App.markers(dir, "starting-").size() == 3);
                App.Result scale = app.run("scale", "web", "1");
                assertEquals(0, scale.code(), scale.all());
                Await.until("ids 1 and 2 are killed in onWorkerStart", Duration.ofSeconds(30),
                        () -> app.log().split("did not exit within", -1).length == 3, app::log);
            } finally {
                Files.deleteIfExists(hold);
            }
            assertTrue(start.waitFor(60, TimeUnit.SECONDS), "start -d returned");
            assertEquals(0, start.exitValue(), Files.readString(dir.resolve("foreground.err")) + app.log());
            awaitReady(app, List.of(0));
        }
    }

    @Test
    void scaleRefusesAnUnknownGroupAndABadCount(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            App.Result unknown = app.run("scale", "nosuch", "3");
            assertEquals(2, unknown.code(), unknown.all());
            assertTrue(unknown.err().contains("groups: web"), unknown.err());
            App.Result zero = app.run("scale", "web", "0");
            assertEquals(2, zero.code(), zero.all());
            assertTrue(zero.err().contains("COUNT must be at least 1"), zero.err());
            assertEquals(1, app.workers().size());
        }
    }

    @Test
    void scaleWhenNotRunningExits3(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class)) {
            App.Result scale = app.run("scale", "web", "2");
            assertEquals(3, scale.code(), scale.all());
            assertFalse(scale.err().isEmpty());
        }
    }

    /** The workers once exactly {@code ids} are listed, all ready. */
    private static List<App.WorkerRow> awaitReady(App app, List<Integer> ids) {
        return Await.value("workers " + ids + " ready", Duration.ofSeconds(30), () -> {
            List<App.WorkerRow> rows = app.workers();
            boolean settled = rows.stream().map(App.WorkerRow::id).toList().equals(ids)
                    && rows.stream().allMatch(r -> r.pid() > 0 && "ready".equals(r.state()));
            return settled ? rows : null;
        });
    }
}
