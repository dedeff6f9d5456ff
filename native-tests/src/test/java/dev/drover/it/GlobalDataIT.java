package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drover.it.apps.GlobalDataApp;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, acceptance 4: GlobalData increments from 4 workers x 1,000 end at 4,000, on both backends; every command answers alike. */
@Timeout(180)
class GlobalDataIT {
    private static final String SCRIPT = "[false, true, false, a, false, true, c, true, true, 7, refused, true, null]";

    @Test
    void theEmbeddedServerCountsEveryIncrement(@TempDir Path dir) throws Exception {
        countsAndAnswers(dir, "127.0.0.1:" + Ports.free());
    }

    @Test
    void redisCountsEveryIncrement(@TempDir Path dir) throws Exception {
        try (RedisServer redis = new RedisServer(dir.resolve("redis"))) {
            countsAndAnswers(dir, redis.url());
            assertEquals("4000", redis.ask("GET hits"), "the count is in redis itself");
        }
    }

    private static void countsAndAnswers(Path dir, String store) throws Exception {
        int http = Ports.free();
        try (App app = new App(dir, GlobalDataApp.class, "-Dapp.store=" + store, "-Dapp.http=http://127.0.0.1:" + http)) {
            app.start();
            Await.until("the 4 counters finished", Duration.ofSeconds(60), () -> "4".equals(Http.tryGet(http, "/get?key=done")));
            assertEquals("4000", Http.get(http, "/get?key=hits"));
            assertEquals(SCRIPT, Http.get(http, "/script"));
        }
    }
}
