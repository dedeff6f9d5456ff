package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: the lifecycle on an arm64 JVM, emulated by QEMU. {@code scripts/arm64-smoke} prepares
 * the arm64 Java and runs this class with {@code -Ddrover.arm64.java=<its java>}; without that
 * property (the main suite) it is skipped. Every step crosses an architecture-specific path: the
 * master's posix_spawn of each JVM (the command's, the daemon master, the workers), the socket
 * handoff (sendmsg with SCM_RIGHTS on the master, Netty's recvFd in the worker), the control
 * channel (status), signals (SIGUSR1 reload, SIGCHLD of a killed worker, the stop).
 */
@Timeout(240)
class Arm64SmokeIT {
    /** Emulated JVMs start in seconds, not milliseconds. */
    private static final Duration EMULATED = Duration.ofSeconds(90);

    @Test
    void theLifecycleOnAnArm64Jvm(@TempDir Path dir) throws Exception {
        String java = System.getProperty("drover.arm64.java");
        Assumptions.assumeTrue(java != null, "no arm64 java given (scripts/arm64-smoke runs this with -Ddrover.arm64.java)");
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2").onJava(java)) {
            app.start();
            assertEquals("aarch64", app.status().get("master").get("arch").asText(), "the master is an arm64 JVM");
            List<App.WorkerRow> first = app.workers();
            assertEquals(List.of(0, 1), first.stream().map(App.WorkerRow::id).toList(), "status lists ids 0 and 1");
            int port = app.port();
            assertEquals(pids(first), answeringWorkers(port, pids(first)), "both workers answer, as arm64 JVMs");

            long master = app.masterPid();
            Processes.kill(master, "USR1");
            List<App.WorkerRow> reloaded = Await.value("both workers replaced after SIGUSR1", EMULATED,
                    () -> readyAndNoneOf(app, pids(first)));
            assertEquals(pids(reloaded), answeringWorkers(port, pids(reloaded)), "the reloaded workers answer");

            App.WorkerRow victim = reloaded.get(0);
            Processes.kill(victim.pid(), "KILL");
            List<App.WorkerRow> respawned = Await.value("worker " + victim.id() + " respawned after kill -9", EMULATED,
                    () -> readyAndNoneOf(app, Set.of(victim.pid())));
            assertEquals(List.of(0, 1), respawned.stream().map(App.WorkerRow::id).toList(), "ids stay 0 and 1");
            assertEquals(pids(respawned), answeringWorkers(port, pids(respawned)), "the respawned worker answers");
            assertTrue(app.log().contains("worker[web:" + victim.pid() + "] exit with status 9 (SIGKILL)"),
                    "the log names the killed worker:\n" + app.log());

            App.Result stop = app.run("stop");
            assertEquals(0, stop.code(), stop.all());
            assertTrue(stop.out().contains("stop success"), stop.out());
            assertFalse(Processes.alive(master), "master " + master + " gone");
            respawned.forEach(w -> assertFalse(Processes.alive(w.pid()), "worker " + w.pid() + " gone"));
            assertFalse(Files.exists(app.pidFile()), "pid file removed");
        }
    }

    private static Set<Long> pids(List<App.WorkerRow> workers) {
        return workers.stream().map(App.WorkerRow::pid).collect(Collectors.toSet());
    }

    /** The workers once both are ready and none of them is one of {@code gone}; null until then. */
    private static List<App.WorkerRow> readyAndNoneOf(App app, Set<Long> gone) {
        List<App.WorkerRow> workers = app.workers();
        boolean settled = workers.size() == 2
                && workers.stream().allMatch(w -> w.pid() > 0 && "ready".equals(w.state()) && !gone.contains(w.pid()));
        return settled ? workers : null;
    }

    /**
     * Asks GET /arch on new connections until each of {@code expected} has answered; every answer
     * must come from an aarch64 JVM. Returns the pids that answered.
     */
    private static Set<Long> answeringWorkers(int port, Set<Long> expected) {
        Map<Long, String> arch = new HashMap<>();
        Await.until("workers " + expected + " all answer GET /arch (so far " + arch + ")", EMULATED, () -> {
            String answer = Http.tryGet(port, "/arch");
            if (answer != null) {
                String[] fields = answer.split(" ");
                arch.put(Long.parseLong(fields[0]), fields[2]);
            }
            return arch.keySet().containsAll(expected);
        });
        arch.forEach((pid, a) -> assertEquals("aarch64", a, "worker " + pid + "'s os.arch"));
        return arch.keySet();
    }
}
