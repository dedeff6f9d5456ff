package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** As a master starts, a group's first worker starts alone and the others once it is ready (or a second after it). */
@Timeout(120)
class StartOrderIT {
    /** The kernel's clock ticks (USER_HZ), in which /proc/PID/stat counts a process's start. */
    private static final long TICK_MILLIS = 10;

    @Test
    void aGroupsSecondWorkerIsSpawnedOnceItsFirstIsReady(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2")) {
            app.start();
            Matcher ready = Pattern.compile("worker\\[web:(\\d+)\\] id 0 ready in (\\d+) ms").matcher(app.log());
            assertTrue(ready.find(), app.log());
            long first = Long.parseLong(ready.group(1));
            long firstReadyMillis = Long.parseLong(ready.group(2));
            long second = app.workers().stream().filter(w -> w.id() == 1).findFirst().orElseThrow().pid();
            long apartMillis = (Processes.startTicks(second).orElseThrow() - Processes.startTicks(first).orElseThrow()) * TICK_MILLIS;
            long expected = Math.min(firstReadyMillis, 1000);
            assertTrue(apartMillis >= expected - 2 * TICK_MILLIS, "worker " + second + " started " + apartMillis
                    + " ms after worker " + first + ", which was ready " + firstReadyMillis + " ms after its spawn:\n" + app.log());
        }
    }
}
