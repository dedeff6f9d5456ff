package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.BrokenStartApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: workers that fail in their first onWorkerStart end start -d with exit 1 and the stack trace, not a crash loop. */
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
}
