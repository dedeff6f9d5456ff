package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.SlammingServerApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A Channel client whose server accepts and closes each connection dials again a second apart, not in a loop. */
@Timeout(120)
class ChannelReconnectIT {

    @Test
    void aServerThatClosesAtOnceIsDialledASecondApart(@TempDir Path dir) {
        int port = Ports.free();
        try (App app = new App(dir, SlammingServerApp.class, "-Dapp.dir=" + dir, "-Dapp.port=" + port)) {
            app.start();
            Path connects = dir.resolve("connects.txt");
            List<Long> times = Await.value("four connections", Duration.ofSeconds(30), () -> {
                List<Long> seen = TextFile.read(connects).lines().map(Long::parseLong).toList();
                return seen.size() >= 4 ? seen : null;
            });
            // Without the pause, thousands a second. The first may have waited in the backlog for the
            // server's worker to start (and so lasted, and was dialled again at once): the next three count.
            long spread = times.get(3) - times.get(1);
            assertTrue(spread >= 1_500, "3 connections in " + spread + " ms: " + times.subList(0, 4));
            // never answered, so never connected: one outage, told once, however many connections it closed
            String log = app.log();
            assertEquals(1, log.split("is unreachable \\(the server closed the connection before it answered\\)", -1).length - 1, log);
            assertFalse(log.contains("connected to frame://"), log);
        }
    }
}
