package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, acceptance 1: a hung worker (no heartbeat for hangTimeout) is killed and replaced; the 6 s promise, asserted alone. */
@Tag("alone")
@Timeout(120)
class HangIT {

    @Test
    void aStoppedWorkerIsKilledAndReplacedWithinSixSecondsOfAThreeSecondHangTimeout(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2", "-Dapp.hangTimeout=3")) {
            app.start();
            App.WorkerRow victim = app.workers().get(0);

            long stoppedAt = System.nanoTime();
            Processes.kill(victim.pid(), "STOP");
            long replacement = Await.value("a new worker with id 0 is ready", Duration.ofSeconds(10), () -> replacementOf(app, victim.pid(), 0));
            long millis = (System.nanoTime() - stoppedAt) / 1_000_000;
            app.track(replacement);
            System.out.println("worker stopped with SIGSTOP replaced " + millis + " ms later");
            assertTrue(millis <= 6000, "replaced " + millis + " ms after SIGSTOP, over 6 s:\n" + app.log());

            assertFalse(Processes.alive(victim.pid()), "the stopped worker " + victim.pid() + " is gone (killed and reaped)");
            assertTrue(app.log().contains("worker[web:" + victim.pid() + "] id 0 is hung: no heartbeat from its event loop for "), app.log());
            assertEquals(replacement, app.workers().get(0).pid(), "status shows the replacement under id 0");
        }
    }

    @Test
    void aCallbackThatNeverReturnsIsAHang(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.hangTimeout=1")) {
            app.start();
            App.WorkerRow busy = app.workers().get(0);
            try (Socket socket = new Socket("127.0.0.1", app.port())) {
                OutputStream out = socket.getOutputStream();
                out.write("GET /busy HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long replacement = Await.value("a new worker replaces the busy one", Duration.ofSeconds(30),
                        () -> replacementOf(app, busy.pid(), 0));
                app.track(replacement);
            }
            assertTrue(app.log().contains("worker[web:" + busy.pid() + "] id 0 is hung"), app.log());
            assertTrue(Http.get(app.port(), "/").endsWith(" 0"), "the replacement answers");
        }
    }

    /**
     * A reload that retires a hung worker ends once hangTimeout kills it: the worker never says it
     * is draining, and the reload waited for it forever, refusing every later reload and restart.
     */
    @Test
    void aReloadThatMeetsAHungWorkerEndsWhenTheWorkerIsKilled(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.hangTimeout=5", "-Dapp.dir=" + dir)) {
            app.start();
            App.WorkerRow busy = app.workers().get(0);
            try (Socket socket = new Socket("127.0.0.1", app.port())) {
                OutputStream out = socket.getOutputStream();
                out.write("GET /slow?ms=600000 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Await.until("the worker is asleep in /slow", Duration.ofSeconds(10), () -> !App.markers(dir, "slow-").isEmpty());
                App.Result reload = app.run("reload");
                assertEquals(0, reload.code(), reload.all() + "\n" + app.log());
            }
            assertFalse(Processes.alive(busy.pid()), "the hung worker " + busy.pid() + " is gone");
            assertTrue(app.log().contains("worker[web:" + busy.pid() + "] id 0 is hung") && app.log().contains("the reload goes on without it"),
                    "killed as the reload's retired worker, not before the reload came: " + app.log());
            long replacement = app.workers().get(0).pid();
            app.track(replacement);
            String answer = Http.get(app.port(), "/");
            assertTrue(answer.endsWith(replacement + " 0"), "the replacement answers: " + answer);
        }
    }

    /** The pid of the worker with {@code id} that became ready after {@code old} was killed, or null. */
    private static Long replacementOf(App app, long old, int id) {
        String log = app.log();
        int killed = log.indexOf("worker[web:" + old + "] exit with status 9 (SIGKILL)");
        if (killed < 0) {
            return null;
        }
        Matcher ready = Pattern.compile("worker\\[web:(\\d+)\\] id " + id + " ready in").matcher(log);
        return ready.find(killed) ? Long.parseLong(ready.group(1)) : null;
    }
}
