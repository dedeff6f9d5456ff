package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.BrokenStartApp;
import dev.drover.it.apps.PidApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: workers that fail in their first onWorkerStart end start -d with exit 1 and the stack
 * trace, not a crash loop; a start -d whose master is stopped, or cannot take its pid file, says why;
 * a malformed listen address is one line naming it.
 */
@Timeout(120)
class BootErrorIT {

    @Test
    void startDExits1WithTheFirstStackTraceAndLeavesNothingRunning(@TempDir Path dir) {
        try (App app = new App(dir, BrokenStartApp.class)) {
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains("start failed: worker[broken:"), start.err());
            assertTrue(start.err().contains("java.lang.IllegalStateException: onWorkerStart is broken on purpose"), start.err());
            assertTrue(start.err().contains("\tat dev.drover.it.apps.BrokenStartApp"), "the stack trace, not only the message: " + start.err());
            assertTrue(start.err().contains("Suppressed: java.lang.IllegalStateException: onWorkerStop ran after the failure"),
                    "onWorkerStop ran, as Workerman's stopAll runs it: " + start.err());

            Matcher pids = Pattern.compile("(?:pid:|broken:)(\\d+)").matcher(app.log());
            while (pids.find()) {
                long pid = Long.parseLong(pids.group(1));
                app.track(pid);
                assertFalse(Processes.alive(pid), "process " + pid + " from the log is gone");
            }
            assertFalse(Files.exists(app.pidFile()), "no pid file left");
            assertEquals(3, app.run("status").code(), "nothing runs");
            assertEquals(1, app.log().split("exit with status 250", -1).length - 1, "one failure ends the start: no crash loop");
        }
    }

    /**
     * Code deployed with a listen address drover refuses still lets the operator ask and stop the
     * master that runs the code before it, as Workerman's; every command failed as start does.
     */
    @Test
    void aBadListenAddressOnDiskStillLetsTheRunningMasterBeStopped(@TempDir Path dir) {
        try (App running = new App(dir, PidApp.class, "-Dapp.count=1"); App deployed = new App(dir, PidApp.class, "-Dapp.listen=htp:/127.0.0.1:1")) {
            running.start();
            long master = running.masterPid();
            running.workers().forEach(worker -> running.track(worker.pid()));
            App.Result status = deployed.run("status");
            assertEquals(0, status.code(), status.all());
            App.Result start = deployed.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains("listen address 'htp:/127.0.0.1:1'") && start.err().contains("(at dev.drover.it.apps.PidApp.main("),
                    start.err());
            App.Result stop = deployed.run("stop");
            assertEquals(0, stop.code(), stop.all());
            assertFalse(Processes.alive(master), "the running master stopped");
        }
    }

    /** A JVM option the JVM refuses is named: the JVM said why on the worker's stderr, the stdout file, nowhere for a daemon. */
    @Test
    void aJvmOptionTheJvmRefusesIsNamed(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.jvmOptions=-Xmx1z")) {
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains("exited with status 1 before it was ready: the JVM would not start with its options (setJvmOptions, JAVA_OPTS): "
                    + "Invalid maximum heap size: -Xmx1z"), start.err());
            assertTrue(app.log().contains("could not start: the JVM would not start with its options"), app.log());
        }
    }

    /** A respawned worker whose JVM will not start gets the JVM's reason in the log, found beside the master's loop. */
    @Test
    void aRespawnTheJvmRefusesIsNamedInTheLog(@TempDir Path dir) throws Exception {
        Path options = Files.writeString(dir.resolve("jvm.options"), "-Dapp.fine=yes\n"); // a java @argument file, read at each start
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.jvmOptions=@" + options)) {
            app.start();
            App.WorkerRow worker = app.workers().get(0);
            Files.writeString(options, "-Xmx1z\n");
            Processes.kill(worker.pid(), "KILL");
            Await.until("the JVM's reason is logged", Duration.ofSeconds(60),
                    () -> app.log().contains("could not start: the JVM would not start with its options (setJvmOptions, JAVA_OPTS): "
                            + "Invalid maximum heap size: -Xmx1z"), app::log);
            Files.writeString(options, "-Dapp.fine=again\n");
        }
    }

    @Test
    void startDStoppedBeforeItsWorkersAreReadySaysSo(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.dir=" + dir)) {
            Path hold = Files.createFile(dir.resolve("hold-start"));
            Process start = app.launch("start", "-d");
            try {
                Await.until("the worker runs onWorkerStart", Duration.ofSeconds(60), () -> !App.markers(dir, "starting-").isEmpty());
                assertEquals(0, app.run("stop").code(), app.log());
            } finally {
                Files.deleteIfExists(hold);
            }
            assertTrue(start.waitFor(60, TimeUnit.SECONDS), "start -d returned");
            String err = Files.readString(dir.resolve("foreground.err"));
            assertEquals(1, start.exitValue(), err);
            assertTrue(err.contains("start failed: the master (pid ") && err.contains("was stopped before its workers were ready"), err);
        }
    }

    @Test
    void startDNamesAPidFileItCannotLock(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            List<String> command = new ArrayList<>(app.commandLine("start", "-d"));
            command.set(command.size() - 1, "/proc/drover-test.pid"); // the --pid-file's value
            Processes.Ran start = Processes.run(command.toArray(String[]::new));
            assertEquals(1, start.code(), start.output());
            assertTrue(start.output().contains("start failed: open /proc/drover-test.pid.lock failed: No such file or directory (2)"),
                    start.output());
        }
    }

    @Test
    void aMalformedListenAddressIsOneLineNamingItAndTheApplicationsCall(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.listen=http://127.0.0.1")) {
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().strip().matches("drover: listen address 'http://127\\.0\\.0\\.1' has no port; write e\\.g\\. http://0\\.0\\.0\\.0:8080"
                    + " \\(at dev\\.drover\\.it\\.apps\\.PidApp\\.main\\(PidApp\\.java:\\d+\\)\\)"), "one line, no stack trace: " + start.err());
            assertFalse(Files.exists(app.pidFile()), "nothing started");
        }
    }

    /**
     * A master whose working directory a deploy removed cannot start a JVM there: a respawn's
     * failure says so, and what to do, rather than blaming the JVM's options; a restart or reload
     * is refused up front with the same words, where its failure went to a log.
     */
    @Test
    void aWorkingDirectoryRemovedUnderTheMasterIsNamed(@TempDir Path dir) throws Exception {
        Path release = Files.createDirectory(dir.resolve("release"));
        Path log = dir.resolve("app.log"); // where it stays, with the pid file
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.logFile=" + log)) {
            Process master = app.launchIn(release, "start");
            app.track(master.pid());
            try {
                Await.until("the worker is ready", Duration.ofSeconds(60), () -> TextFile.read(log).contains("started: 1 workers ready"),
                        () -> TextFile.read(log));
                long worker = app.workers().get(0).pid();
                try (var files = Files.walk(release)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
                Processes.kill(worker, "KILL");
                Await.until("the respawn's failure is logged", Duration.ofSeconds(60),
                        () -> TextFile.read(log).contains("could not start: the working directory"), () -> TextFile.read(log));
                String said = TextFile.read(log);
                assertTrue(said.contains("could not start: the working directory, " + release + ", is gone (a deploy removed it?), and no JVM starts"
                        + " in a deleted directory: stop this master (pid " + master.pid() + ";"), said);
                assertFalse(said.contains("would not start with its options"), said);
                for (String command : new String[] {"restart", "reload"}) {
                    App.Result refused = app.run(command);
                    assertEquals(1, refused.code(), refused.all());
                    assertTrue(refused.err().contains(command + " refused: the working directory, " + release + ", is gone"), refused.all());
                }
            } finally {
                master.destroy();
                master.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
