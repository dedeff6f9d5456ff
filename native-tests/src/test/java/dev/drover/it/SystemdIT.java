package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd's notify protocol: a test plays systemd with a Unix datagram socket as NOTIFY_SOCKET and
 * checks the messages and their order across start, reload, restart (the new master's MAINPID) and stop,
 * and that the watchdog is fed by the master systemd started and then by its successor.
 */
@Timeout(120)
class SystemdIT {

    @Test
    void readyReloadingAndStoppingInOrder(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("notify.sock");
        Path received = dir.resolve("notify.log");
        Process systemd = new ProcessBuilder("/usr/bin/python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                s.bind(sys.argv[1])
                print("listening", flush=True)
                with open(sys.argv[2], "a") as out:
                    while True:
                        out.write(s.recv(4096).decode().replace("\\n", " ") + "\\n")
                        out.flush()
                """, socket.toString(), received.toString()).redirectErrorStream(true).start();
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2").withEnv("NOTIFY_SOCKET", socket.toString())
                .withEnv("WATCHDOG_USEC", "400000")) {
            assertEquals("listening", new String(systemd.getInputStream().readNBytes(9)));
            Process master = app.launchWatched("start");
            app.track(master.pid());
            Await.until("READY=1", Duration.ofSeconds(60), () -> messages(received).size() >= 1);
            assertTrue(messages(received).get(0).startsWith("READY=1 MAINPID=" + master.pid() + " STATUS=2 workers ready"),
                    messages(received).toString());
            assertEquals(0, app.run("reload").code());
            Await.until("RELOADING=1 then READY=1", Duration.ofSeconds(60), () -> messages(received).size() >= 3);
            assertTrue(messages(received).get(1).startsWith("RELOADING=1 MONOTONIC_USEC="), messages(received).toString());
            assertTrue(messages(received).get(2).startsWith("READY=1"), messages(received).toString());
            App.Result restart = app.run("restart");
            assertEquals(0, restart.code(), restart.all());
            long successor = app.masterPid();
            Await.until("RELOADING=1 then the new master's READY=1", Duration.ofSeconds(60), () -> messages(received).size() >= 5);
            assertTrue(messages(received).get(3).startsWith("RELOADING=1 MONOTONIC_USEC="), messages(received).toString());
            assertTrue(messages(received).get(4).startsWith("READY=1 MAINPID=" + successor + " STATUS=2 workers ready"),
                    messages(received).toString());
            assertTrue(master.waitFor(30, TimeUnit.SECONDS), "the old master exits after the handover");
            assertTrue(watchdogs(received) > 0, "the master systemd started fed the watchdog");
            long fedBefore = watchdogs(received);
            Await.until("the new master feeds the watchdog (every 200 ms)", Duration.ofSeconds(10), () -> watchdogs(received) >= fedBefore + 3);
            assertEquals(0, app.run("stop").code());
            Await.until("STOPPING=1", Duration.ofSeconds(30), () -> messages(received).size() >= 6);
            assertTrue(messages(received).get(5).startsWith("STOPPING=1"), messages(received).toString());
            assertEquals(6, messages(received).size(), "nothing else, and no STOPPING=1 from the old master: "
                    + messages(received));
            Await.until("the new master is gone", Duration.ofSeconds(30), () -> !Processes.alive(successor));
        } finally {
            systemd.destroyForcibly();
        }
    }

    /** What the masters said but WATCHDOG=1. */
    private static List<String> messages(Path file) {
        return lines(file).stream().filter(line -> !line.equals("WATCHDOG=1")).toList();
    }

    private static long watchdogs(Path file) {
        return lines(file).stream().filter(line -> line.equals("WATCHDOG=1")).count();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
