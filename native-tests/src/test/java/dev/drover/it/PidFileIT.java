package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 4: one master per pid file, and stale pid files are replaced; a master whose files were
 * deleted by hand is still found by its lock, and a command that finds none creates nothing.
 */
@Timeout(120)
class PidFileIT {

    @Test
    void secondStartExits1NamingThePid(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            long pid = app.masterPid();
            App.Result second = app.run("start", "-d");
            assertEquals(1, second.code(), second.all());
            assertTrue(second.err().contains("already running") && second.err().contains(Long.toString(pid)), second.err());
            App.Result foreground = app.run("start");
            assertEquals(1, foreground.code(), foreground.all());
            assertEquals(pid, app.masterPid(), "the running master is untouched");
        }
    }

    @Test
    void withItsPidFileAndSocketDeletedByHandTheMasterIsStillNamedAndStopped(@TempDir Path dir) throws IOException {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            long pid = app.masterPid();
            app.workers().forEach(worker -> app.track(worker.pid()));
            Files.delete(app.pidFile());
            Files.delete(dir.resolve("app.pid.sock"));
            App.Result second = app.run("start", "-d");
            assertEquals(1, second.code(), second.all());
            assertTrue(second.err().contains("already running (pid " + pid + ","), "found by its lock: " + second.err());
            App.Result stop = app.run("stop");
            assertEquals(0, stop.code(), stop.all() + app.log());
            assertTrue(stop.out().contains("stop success"), stop.all());
            assertFalse(Processes.alive(pid), "the master is gone");
        }
    }

    /** With its socket gone and another process's pid in its pid file, stop signals the master that holds the lock, not that process. */
    @Test
    void stopWithoutTheSocketSignalsTheMasterNotThePidFilesProcess(@TempDir Path dir) throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            long pid = app.masterPid();
            app.workers().forEach(worker -> app.track(worker.pid()));
            Files.delete(dir.resolve("app.pid.sock"));
            Files.writeString(app.pidFile(), unrelated.pid() + "\n");
            App.Result stop = app.run("stop");
            assertEquals(0, stop.code(), stop.all() + app.log());
            assertFalse(Processes.alive(pid), "the master is gone");
            assertTrue(unrelated.isAlive(), "the pid file's process is left alone");
        } finally {
            unrelated.destroyForcibly();
        }
    }

    /** With its socket gone, reload signals the master (USR1), which reloads, and says no progress can come back. */
    @Test
    void reloadWithoutTheSocketSignalsTheMaster(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            app.start();
            long before = app.workers().get(0).pid();
            app.track(before);
            Files.delete(dir.resolve("app.pid.sock"));
            App.Result reload = app.run("reload");
            assertEquals(0, reload.code(), reload.all());
            assertTrue(reload.out().contains("sent SIGUSR1 to the master (pid " + app.masterPid() + "), which reloads"), reload.out());
            Await.until("the worker is replaced", java.time.Duration.ofSeconds(30), () -> !Processes.alive(before), app::log);
        }
    }

    /** A process that is no master holding the lock file (an operator's {@code flock app.pid.lock ...}) is not signalled by stop. */
    @Test
    void stopSignalsNoLockHolderThatIsNoMaster(@TempDir Path dir) throws Exception {
        Path lock = dir.resolve("app.pid.lock");
        Files.createFile(lock);
        Process holder = new ProcessBuilder("flock", lock.toString(), "sleep", "60").start();
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            Await.until("flock holds the lock", java.time.Duration.ofSeconds(10),
                    () -> app.run("status").code() != 3);
            App.Result stop = app.run("stop");
            assertEquals(1, stop.code(), stop.all());
            assertTrue(stop.err().contains("holds its lock file " + lock) && stop.err().contains("drover signals no process that is not this application's master"),
                    stop.err());
            assertTrue(holder.isAlive(), "the lock's holder is left alone");
        } finally {
            holder.descendants().forEach(ProcessHandle::destroyForcibly);
            holder.destroyForcibly();
        }
    }

    /** Something other than a socket where the operator socket goes is named and left alone: a file there was deleted unsaid, a directory named without a reason. */
    @Test
    void aFileOrDirectoryWhereTheOperatorSocketGoesIsNamedAndKept(@TempDir Path dir) throws IOException {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            Path socket = dir.resolve("app.pid.sock");
            Files.writeString(socket, "notes");
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains(socket + " is not an operator socket (a file): drover leaves it alone; remove it, or choose another --pid-file"),
                    start.err());
            assertEquals("notes", Files.readString(socket), "the file is kept");
            Files.delete(socket);
            Files.createDirectories(socket.resolve("inside"));
            start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains(socket + " is not an operator socket (a directory)"), start.err());
            assertFalse(Files.exists(app.pidFile()), "no master left");
        }
    }

    @Test
    void aReadOnlyCommandLeavesNoLockFileBehind(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            assertEquals(3, app.run("status").code());
            assertEquals(3, app.run("stop").code());
            assertEquals(3, app.run("connections").code());
            assertFalse(Files.exists(dir.resolve("app.pid.lock")), "nothing was created");
        }
    }

    @Test
    void stalePidFileOfADeadProcessIsReplaced(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            Process dead = new ProcessBuilder("true").start();
            dead.waitFor();
            Files.writeString(app.pidFile(), dead.pid() + "\n");
            App.Result start = app.run("start", "-d");
            assertEquals(0, start.code(), start.all() + app.log());
            assertTrue(start.all().contains("replaced stale pid file") && start.all().contains("pid " + dead.pid() + " is not running"), start.all());
            assertTrue(app.masterPid() != dead.pid());
        }
    }

    @Test
    void stalePidFileOfAnUnrelatedProcessIsReplacedAndTheProcessLeftAlone(@TempDir Path dir) throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            Files.writeString(app.pidFile(), unrelated.pid() + "\n");
            App.Result start = app.run("start", "-d");
            assertEquals(0, start.code(), start.all() + app.log());
            assertTrue(start.all().contains("replaced stale pid file") && start.all().contains("pid " + unrelated.pid()), start.all());
            assertTrue(app.masterPid() != unrelated.pid());
            App.Result stop = app.run("stop");
            assertEquals(0, stop.code(), stop.all());
            assertTrue(unrelated.isAlive(), "the unrelated process is left alone");
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void workersDropToTheirUserAndStillServeTheMastersSocket(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to switch users");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        // The app in a jar: workers open every jar before they switch users, but a class directory
        // (target/test-classes in a clone under a 0700 directory) is read on each lookup.
        Path jar = Jars.ofClass(dir, dev.drover.it.apps.UserApp.class);
        Path socket = dir.resolve("app.sock");
        Path tmp = Files.createDirectory(dir.resolve("tmp")); // the workers' temporary directory, where their sessions go by default
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        try (App app = new App(dir, dev.drover.it.apps.UserApp.class, "-Dapp.user=nobody", "-Dapp.unix=" + socket, "-Djava.io.tmpdir=" + tmp)
                .withClassPathEntry(jar)) {
            app.start();
            assertEquals(65534, Files.getAttribute(socket, "unix:uid"), "the unix:// socket file is its workers' user's, as Workerman gives it");
            assertEquals(65534, Files.getAttribute(socket, "unix:gid"));
            assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)),
                    "its user and group may connect");
            App.WorkerRow worker = app.workers().get(0);
            assertTrue(Processes.status(worker.pid(), "Uid").orElseThrow().startsWith("65534\t65534\t65534"),
                    Processes.status(worker.pid(), "Uid").orElseThrow());
            assertTrue(Processes.status(worker.pid(), "Gid").orElseThrow().startsWith("65534\t65534\t65534"),
                    Processes.status(worker.pid(), "Gid").orElseThrow());
            assertEquals("uid 65534", Http.get(app.port(), "/"));
            // its file sessions: made in a directory of its uid's, and read back as its own
            String first = Http.answer(app.port(), "/session");
            assertEquals("n=1", SessionIT.body(first), first);
            String second = Http.answer(app.port(), "/session", "Cookie: PHPSID=" + SessionIT.cookie(first));
            assertEquals("n=2", SessionIT.body(second), "the session written by the worker's user is read back: " + second + app.log());
            assertEquals(65534, Files.getAttribute(tmp.resolve("drover-sessions-65534"), "unix:uid"));
            String title = new String(Files.readAllBytes(Path.of("/proc/" + worker.pid() + "/cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ').strip();
            assertTrue(title.startsWith("drover: worker web http://127.0.0.1:") && !title.contains(" -X"),
                    "its title, set before the user switch, not the JVM's command line after it: " + title);
            assertEquals("drover: worker", Files.readString(Path.of("/proc/" + worker.pid() + "/comm")).strip(), "its name, not java");
        }
    }

    @Test
    void aClassDirectoryTheWorkersUserCannotSearchIsNamed(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to switch users");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Jars.ofClass(dir, dev.drover.it.apps.UserApp.class);
        Path classes = dir.resolve("classes-UserApp");
        Files.setPosixFilePermissions(classes.resolve("dev"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try (App app = new App(dir, dev.drover.it.apps.UserApp.class, "-Dapp.user=nobody").withClassPath(classes + ":" + TestClassPath.jars())) {
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains("cannot load the main class dev.drover.it.apps.UserApp; user 'nobody' (setUser) cannot search "
                    + classes.resolve("dev") + ": class directories are read after the switch"), start.err());
        }
    }

    @Test
    void aLogFileThatCannotBeOpenedFailsStartNamingItAndWhatToDo(@TempDir Path dir) throws IOException {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            Files.createDirectory(app.logFile());
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains("start failed: cannot open log file " + app.logFile() + ": Is a directory; the master writes it as uid ")
                    && start.err().contains("choose another with Worker.setLogFile"), start.err());
            assertFalse(Files.exists(app.pidFile()), "no master left");
        }
    }

    @Test
    void anUnknownUserFailsStartWithNothingLeftRunning(@TempDir Path dir) {
        try (App app = new App(dir, dev.drover.it.apps.UserApp.class, "-Dapp.user=no-such-user")) {
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains("unknown user 'no-such-user'"), start.err());
            assertTrue(!Files.exists(app.pidFile()), "no master left");
        }
    }

    @Test
    void stopWithAStalePidFileReportsItAndExits3(@TempDir Path dir) throws IOException {
        try (App app = new App(dir, PidApp.class)) {
            Files.writeString(app.pidFile(), "999999\n");
            App.Result stop = app.run("stop");
            assertEquals(3, stop.code(), stop.all());
            assertTrue(stop.err().contains("removed stale pid file"), stop.err());
            assertTrue(!Files.exists(app.pidFile()), "stale pid file cleaned");
        }
    }

    /** A mistyped --pid-file naming a file of another kind: no command removes or replaces it. */
    @Test
    void aFileThatHoldsNoPidIsLeftAloneByEveryCommand(@TempDir Path dir) throws IOException {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1")) {
            String config = "server:\n  port: 80\n";
            Files.writeString(app.pidFile(), config);
            App.Result status = app.run("status");
            assertEquals(3, status.code(), status.all());
            assertTrue(status.err().contains(app.pidFile() + " is not a pid file"), status.err());
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains(app.pidFile() + " is not a pid file (it holds something other than a pid)"), start.err());
            assertEquals(config, Files.readString(app.pidFile()));
            assertEquals(3, app.run("status").code(), "nothing was left running");
        }
    }

    /** Each command's own help, as troubleshooting.md points to it. */
    @Test
    void eachCommandHasItsHelp(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class)) {
            App.Result help = app.run("start", "--help");
            assertEquals(0, help.code(), help.all());
            assertTrue(help.out().contains("Usage: ") && help.out().contains("--daemon"), help.out());
        }
    }
}
