package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, acceptance 2: maxRequests (and maxMemory) replace workers gracefully, one at a time, without a failed request. */
@Timeout(180)
class RecycleIT {
    private static final Pattern RECYCLED = Pattern.compile("worker\\[web:(\\d+)\\] id \\d served (\\d+) messages, its maxRequests; replacing it gracefully");

    @Test
    void workersServingTheirMaxRequestsAreReplacedUnderLoadWithoutAFailedRequest(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2", "-Dapp.maxRequests=1000", "-Dapp.maxRequestsJitter=100")) {
            app.start();
            List<App.WorkerRow> first = app.workers();
            try (Load load = Load.start(Load.Options.http(app.port()).withClients(2, 150))) {
                Await.until("four workers recycled", Duration.ofSeconds(90), () -> count(RECYCLED.matcher(app.log())) >= 4);
                load.awaitProgress(10);
                load.close();
                System.out.println("maxRequests 1000 under load:\n" + load.report());
                assertEquals(0, load.failed(), load.report() + "\n" + app.log());
            }
            Matcher recycled = RECYCLED.matcher(app.log());
            while (recycled.find()) {
                long served = Long.parseLong(recycled.group(2));
                assertTrue(served >= 1000 && served <= 1100, "a worker's limit is maxRequests plus at most the jitter: " + served);
            }
            assertFalse(app.log().contains("is hung"), app.log());
            List<App.WorkerRow> after = Await.value("two ready workers", Duration.ofSeconds(30), () -> {
                List<App.WorkerRow> rows = app.workers();
                return rows.size() == 2 && rows.stream().allMatch(r -> "ready".equals(r.state())) ? rows : null;
            });
            assertEquals(List.of(0, 1), after.stream().map(App.WorkerRow::id).toList());
            first.forEach(w -> assertFalse(Processes.alive(w.pid()), "the first worker " + w.pid() + " was replaced and is gone"));
        }
    }

    @Test
    void aWorkerOverItsMaxMemoryIsReplaced(@TempDir Path dir) {
        // Any worker JVM is over 1 MiB of RSS: each is replaced once ready, one at a time, and the group keeps answering.
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.maxMemory=1048576")) {
            app.start();
            long first = app.workers().get(0).pid();
            Await.until("the worker is replaced for its memory", Duration.ofSeconds(30),
                    () -> app.log().contains("worker[web:" + first + "] id 0 uses ") && app.log().contains("drover[PidApp] recycled 1 worker"),
                    () -> "log:\n" + app.log());
            assertTrue(app.log().contains("over its maxMemory of 1 MiB; replacing it gracefully"), app.log());
            assertTrue(Http.tryGet(app.port(), "/") != null, "the group still answers");
        }
    }

    /**
     * A worn worker whose replacement fails serves on (as a reload's old worker does), and is
     * recycled again after its slot's backoff, until a replacement starts.
     */
    @Test
    void aWornWorkerWhoseReplacementFailsServesOnAndIsRecycledAgain(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Dapp.maxRequests=3", "-Dapp.dir=" + dir)) {
            app.start();
            long worn = app.workers().get(0).pid();
            Files.createFile(dir.resolve("fail-start"));
            for (int i = 0; i < 3; i++) {
                assertEquals(worn + " 0", Http.get(app.port(), "/"));
            }
            Await.until("its replacement failed twice", Duration.ofSeconds(60),
                    () -> count(Pattern.compile("worker\\[web:" + worn + "\\] serves on with the code it had").matcher(app.log())) >= 2,
                    () -> "log:\n" + app.log());
            assertTrue(app.log().contains("served 3 messages, its maxRequests (again: its last replacement failed); replacing it gracefully"), app.log());
            assertEquals(worn + " 0", Http.get(app.port(), "/"), "the worn worker serves on meanwhile");
            Files.delete(dir.resolve("fail-start"));
            Await.until("a replacement started", Duration.ofSeconds(90), () -> !Processes.alive(worn) && app.workers().stream()
                    .anyMatch(w -> w.pid() != worn && "ready".equals(w.state())), () -> "log:\n" + app.log());
        }
    }

    private static int count(Matcher matcher) {
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
