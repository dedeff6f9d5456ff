package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.drover.it.apps.PidApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code start -d} starts the daemon master in one of two ways: from Java (ProcessBuilder, no
 * native library: the quick way), or through posix_spawn when the command's signals are not at
 * their defaults. Either way the daemon is the same: a session of its own, stdio on /dev/null or
 * the stdout file, no signal ignored.
 */
@Timeout(120)
class DaemonStartIT {
    /** Signals 1..31 but SIGPIPE (13), which the JVM handles itself. */
    private static final long STANDARD_BUT_PIPE = ((1L << 31) - 1) & ~(1L << 12);

    @Test
    void theQuickWayGivesTheSameDaemon(@TempDir Path dir) throws Exception {
        long ignoredHere = Long.parseUnsignedLong(Processes.status(ProcessHandle.current().pid(), "SigIgn").orElseThrow(), 16);
        assumeTrue((ignoredHere & STANDARD_BUT_PIPE) == 0, "these tests run with a signal ignored (nohup, a background job: SigIgn "
                + Long.toHexString(ignoredHere) + "), which their commands inherit, and the quick way is only for commands that ignore none");
        Path stdout = dir.resolve("out/stdout.txt"); // in a directory not made yet: made, as the log's and the pid file's are
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.stdout=" + stdout)) {
            App.Result start = app.run("start", "-d");
            assertEquals(0, start.code(), start.all());
            assertTrue(start.out().contains("start success; stop it with: stop (its pid file: " + app.pidFile().toAbsolutePath() + ")"), start.out());
            long master = app.masterPid();
            assertTrue(environment(master).contains("DROVER_REPORT=stdout"), "the quick way was taken: " + environment(master));
            assertDaemon(app, stdout);
            assertFalse(start.all().contains("unexpected"), start.all());
            Await.until("the worker's stdout reached the stdout file", Duration.ofSeconds(10),
                    () -> TextFile.read(stdout).contains("says hello on stdout"));
            assertEquals(0, app.run("reload").code(), "the daemon answers its operator socket");
        }
    }

    @Test
    void aCommandThatIgnoresSignalsStillStartsADaemonThatObeysThem(@TempDir Path dir) throws Exception {
        Path stdout = dir.resolve("out/stdout.txt"); // in a directory not made yet: made, as the log's and the pid file's are
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.stdout=" + stdout)) {
            App.Result start = app.runIgnoring("INT HUP", "start", "-d");
            assertEquals(0, start.code(), start.all());
            long master = app.masterPid();
            assertFalse(environment(master).contains("DROVER_REPORT"), "posix_spawn's way was taken: " + environment(master));
            assertDaemon(app, stdout);
            Processes.kill(master, "INT");
            Await.until("the master stopped on SIGINT", Duration.ofSeconds(60), () -> !Processes.alive(master));
            assertFalse(Files.exists(app.pidFile()));
        }
    }

    @Test
    void theDaemonJvmsOwnEarlyOutputIsPassedOnNotTakenForItsReport(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Xlog:gc:stdout")) {
            App.Result start = app.run("start", "-d");
            assertEquals(0, start.code(), start.all());
            assertFalse(start.err().contains("unexpected"), start.err());
            assertTrue(start.out().contains("[gc] Using Serial") && start.out().contains("start success"), start.out());
        }
    }

    @Test
    void anotherStartOfARunningAppSaysSoEitherWay(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            long master = app.masterPid();
            for (App.Result again : List.of(app.run("start", "-d"), app.runIgnoring("INT", "start", "-d"))) {
                assertEquals(1, again.code(), again.all());
                assertTrue(again.err().contains("already running (pid " + master + ", pid file " + app.pidFile()), again.err());
            }
            assertEquals(master, app.masterPid());
        }
    }

    /** The master: a session of its own, no signal ignored, stdin /dev/null; it and its workers write to the stdout file. */
    private static void assertDaemon(App app, Path stdout) throws IOException {
        long master = app.masterPid();
        String stat = Files.readString(Path.of("/proc/" + master + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertEquals(Long.toString(master), fields[3], "the master leads a session of its own: " + stat);
        long ignored = Long.parseUnsignedLong(Processes.status(master, "SigIgn").orElseThrow(), 16);
        assertEquals(0, ignored & STANDARD_BUT_PIPE, "no signal ignored: SigIgn " + Long.toHexString(ignored));
        assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(Path.of("/proc/" + master + "/fd/0")));
        List<Long> pids = new java.util.ArrayList<>(List.of(master));
        app.workers().forEach(worker -> pids.add(worker.pid()));
        for (long pid : pids) {
            for (int fd = 1; fd <= 2; fd++) {
                assertEquals(stdout, Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)), "pid " + pid + ": fd " + fd);
            }
        }
    }

    private static String environment(long pid) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/environ")).replace('\0', '\n');
    }
}
