package dev.drover.it;


import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4: master hooks, stopAll/reloadAll from code, status -d, process titles. */
@Timeout(120)
class HooksIT {

    @Test
    void masterHooksRunAndWorkersCanReloadAndStopEverything(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            app.start();
            long master = app.masterPid();
            int port = app.port();
            long first = app.workers().get(0).pid();

            Http.tryGet(port, "/reloadall");
            Await.until("Worker.reloadAll() replaced the worker", Duration.ofSeconds(30), () -> app.log().contains("reload done: 1 workers"));
            assertTrue(Files.exists(dir.resolve("master-reload-" + master)), "onMasterReload ran in the master");
            assertTrue(app.log().contains(" pid:" + master + " the application's master hook logs, stopping=false\n"), app.log());
            assertTrue(Files.exists(dir.resolve("exit-" + first + "-0-" + master)), "onWorkerExit ran in the master with pid and status");

            Http.tryGet(port, "/stopall");
            Await.until("Worker.stopAll() stopped the master", Duration.ofSeconds(30), () -> !Processes.alive(master));
            assertTrue(Files.exists(dir.resolve("master-stop-" + master)), "onMasterStop ran");
            assertFalse(Files.exists(app.pidFile()));
        }
    }

    @Test
    void processTitlesAndLiveStatus(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            String master = commandLine(app.masterPid());
            assertTrue(master.startsWith("drover: master PidApp"), master);
            App.WorkerRow worker = app.workers().get(0);
            String title = commandLine(worker.pid());
            assertTrue(title.startsWith("drover: worker web " + worker.listen()), title);

            Process live = app.launch("status", "-d");
            try {
                Path out = dir.resolve("foreground.out");
                Await.until("status -d printed twice", Duration.ofSeconds(20), () -> count(TextFile.read(out), "GLOBAL STATUS") >= 2);
            } finally {
                live.destroy();
                assertTrue(live.waitFor(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void restartReplacesTheMasterAndStdoutFileGetsTheDaemonsOutput(@TempDir Path dir) throws Exception {
        // restart --cold is Workerman's stop-then-start; plain restart hands the sockets over (DeployIT)
        Path stdout = dir.resolve("stdout.txt");
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.stdout=" + stdout)) {
            app.start();
            long first = app.masterPid();
            long beforeCold = first;
            App.Result cold = app.run("restart", "-d", "--cold");
            assertTrue(cold.code() == 0 && cold.out().contains("stop success") && cold.out().contains("start success"), cold.all());
            first = app.masterPid();
            App.Result restart = app.run("restart", "-d");
            assertTrue(restart.code() == 0, restart.all());
            assertTrue(restart.out().contains("restart success") && restart.out().contains("start success"), restart.out());
            long second = app.masterPid();
            assertTrue(second != first && Processes.alive(second));
            Await.until("the old masters are gone", Duration.ofSeconds(30), () -> !Processes.alive(beforeCold));
            Await.until("the workers' stdout reached the stdout file", Duration.ofSeconds(10),
                    () -> TextFile.read(stdout).contains("worker 0 says hello on stdout"));
        }
    }

    private static String commandLine(long pid) throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ').trim();
    }

    private static int count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
    }

}
