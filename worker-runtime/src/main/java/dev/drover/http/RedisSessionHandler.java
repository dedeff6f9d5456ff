package dev.drover.http;

import dev.drover.internal.channel.RedisSessions;
import dev.drover.internal.channel.ServerAddress;
import dev.drover.internal.channel.Stores;
import java.time.Duration;
import java.util.Map;

/**
 * Sessions in Redis, as Workerman's RedisSessionHandler: every worker of every host that names the
 * same Redis shares them. Set it in {@code main}:
 * {@code Session.setHandler(new RedisSessionHandler("redis://10.0.0.5:6379"))}.
 *
 * <p>A session is a hash under {@code prefix + id} ({@code drover_session_} by default), kept by
 * Redis for {@link Session#setLifetime the lifetime} after its last use, so there is nothing to
 * sweep. A change is one script run in Redis: two workers changing one session at once keep both
 * changes. Needs {@code io.lettuce:lettuce-core} 7.x on the class path, as Channel's and
 * GlobalData's Redis backend does, and shares their connection to that address, which a worker
 * opens at its first session. Each call waits on the worker's event loop: at most 5 s for a
 * connection, then at most the timeout (2 s by default) for Redis's answer; a connection that
 * broke since the last call is replaced and the call sent once more, so one call waits 14 s at
 * worst. A connection that gave no answer in time is closed, and the next call opens another. A
 * failure throws {@link java.io.UncheckedIOException} naming the address (never its password): an application that
 * should answer while Redis is away catches it around the session's whole use:
 * {@code request.session()} and its {@code set}, {@code flush} and {@code regenerateId} (a new
 * visitor's first call to Redis is its first {@code set}). Otherwise the worker ends, as for any
 * exception a callback lets escape, and a new one takes its place.
 */
public final class RedisSessionHandler implements SessionHandler {
    private static final String PREFIX = "drover_session_";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final RedisSessions redis;

    /** Sessions at {@code address}: {@code redis://[:password@]host[:port][/db]}, or {@code rediss://} for TLS. */
    public RedisSessionHandler(String address) {
        this(address, PREFIX, TIMEOUT);
    }

    /**
     * Sessions at {@code address}, under keys that start with {@code prefix}; each call waits at
     * most {@code timeout} for Redis's answer.
     *
     * @throws IllegalArgumentException naming what is wrong with an argument
     * @throws IllegalStateException when Lettuce is not on the class path
     */
    public RedisSessionHandler(String address, String prefix, Duration timeout) {
        if (address == null || !address.startsWith("redis://") && !address.startsWith("rediss://")) {
            throw new IllegalArgumentException("a Redis session address is redis://[:password@]host[:port][/db] (or rediss://), not '"
                    + ServerAddress.masked(address) + "'");
        }
        ServerAddress parsed = ServerAddress.parse(address);
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("a Redis session key prefix must not be empty (the default is " + PREFIX + ")");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a Redis session timeout must be positive, not " + timeout);
        }
        parsed.requireLettuce();
        this.redis = new RedisSessions(parsed, prefix, timeout);
        Stores.prepare(parsed); // the client it shares with GlobalData, off the event loop that reads the first session
    }

    @Override
    public Map<String, String> read(String id, Duration lifetime) {
        return redis.read(id, lifetime);
    }

    @Override
    public Map<String, String> update(String id, boolean clear, Map<String, String> changes, Duration lifetime) {
        return redis.update(id, clear, changes, lifetime);
    }

    @Override
    public void touch(String id, Duration lifetime) {
        redis.touch(id, lifetime);
    }

    @Override
    public void destroy(String id) {
        redis.destroy(id);
    }
}
