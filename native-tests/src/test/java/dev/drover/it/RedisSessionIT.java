package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SessionIT's cases with the sessions in a real Redis (RedisSessionHandler), shared by the worker
 * processes; and what a worker does while that Redis is away.
 */
class RedisSessionIT extends SessionIT {
    private RedisServer redis;

    @Override
    String sessions(Path dir) throws Exception {
        redis = new RedisServer(dir.resolve("redis"));
        return redis.url();
    }

    /**
     * Each worker sets its Redis client up as it makes the handler, in main, off its event loop, and
     * accepts once it is connected: the first request's session no longer waits for Lettuce's start
     * (1.6 to 1.9 s here) on the loop.
     */
    @BeforeAll
    void everyWorkerConnectedBeforeItAccepted() {
        assertEquals(3, redis.clients().size(), "each of the 3 workers (a, b, ws), as the start returns: " + redis.clients());
    }

    @AfterAll
    void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** A session is a hash in Redis under the prefix, which Redis expires a lifetime after its last use. */
    @Test
    void aSessionIsAHashThatRedisExpires() throws Exception {
        String id = cookie(Http.answer(a, "/count"));
        assertEquals("1", redis.ask("HGET drover_session_" + id + " n"));
        int ttl = Integer.parseInt(redis.ask("TTL drover_session_" + id).substring(1));
        assertTrue(ttl > 1400 && ttl <= 1440, "expires a lifetime (1,440 s) from now: " + ttl);
        redis.ask("EXPIRE drover_session_" + id + " 100");
        assertEquals("n=2 new=false", body(Http.answer(b, "/count", "Cookie: PHPSID=" + id)));
        ttl = Integer.parseInt(redis.ask("TTL drover_session_" + id).substring(1));
        assertTrue(ttl > 1400, "a use renews it: " + ttl);
    }

    /** A worker's connection to Redis probes an idle peer after 30 s, not the OS's 2 h: one a firewall dropped is found. */
    @Test
    void theConnectionToRedisKeepsAlive() throws Exception {
        cookie(Http.answer(a, "/count"));
        String sockets = Processes.run("ss", "-tnoH", "state", "established", "dport", "=", ":" + redis.port()).output();
        assertTrue(java.util.regex.Pattern.compile("timer:\\(keepalive,([0-9.]+sec|[0-9.]+ms),").matcher(sockets).find(),
                "a keepalive timer under a minute: " + sockets);
    }

    /** While Redis is away a session call fails at once, naming the address; once it is back, the next request reconnects. */
    @Test
    void aWorkerOutlivesRedisBeingAway() throws Exception {
        String id = cookie(Http.answer(a, "/count"));
        redis.stop();
        try {
            String refused = Http.answer(a, "/guarded", "Cookie: PHPSID=" + id);
            assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
            assertTrue(body(refused).startsWith("cannot read a session in " + redis.url() + " ("), refused);
            assertTrue(!refused.contains(id), "no id in the message: " + refused);
        } finally {
            redis.restart();
        }
        String back = Http.answer(a, "/guarded", "Cookie: PHPSID=" + id);
        assertEquals("n=1 new=true", body(back), "a new connection, to a Redis that kept nothing: " + back);
    }
}
