package dev.drover.internal.channel;

import dev.drover.internal.Causes;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * HTTP sessions in Redis, one hash per session under {@code prefix + id}, its lifetime the key's
 * expiry. A change is one script (changed names set or removed, the expiry renewed, the whole
 * hash read back), so two workers changing one session at once keep both changes. Each call waits
 * on the caller's thread: for a connection, at most the link's connect timeout ({@link
 * #WAIT_WHILE_DOWN} while Redis is down), then for the answer, at most {@code timeout}; a
 * connection that gave no answer in time is closed. A call whose
 * connection broke under it is sent once more on a new one, but for an update that clears the
 * session, which would wipe what another worker wrote in between.
 */
public final class RedisSessions {
    private static final String READ = "if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return {} end "
            + "redis.call('PEXPIRE', KEYS[1], ARGV[1]) return redis.call('HGETALL', KEYS[1])";
    /** ARGV: lifetime in ms, clear (1 or 0), the number of names set, those names and values, then the names removed. */
    private static final String UPDATE = "if ARGV[2] == '1' or redis.call('TYPE', KEYS[1]).ok ~= 'hash' then redis.call('DEL', KEYS[1]) end "
            + "local i = 4 for _ = 1, tonumber(ARGV[3]) do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) i = i + 2 end "
            + "while i <= #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) i = i + 1 end "
            + "redis.call('PEXPIRE', KEYS[1], ARGV[1]) return redis.call('HGETALL', KEYS[1])";

    /**
     * How long a call waits for a connection while Redis did not connect or answer at the last
     * call: each call holds its worker's loop, and waiting the whole connect timeout for each one
     * froze every connection of the worker for seconds at a time. It is back at the first call that
     * gets through.
     */
    static final Duration WAIT_WHILE_DOWN = Duration.ofMillis(500);

    private final ServerAddress address;
    private final String prefix;
    private final Duration timeout;
    private RedisLink link;
    /** The last call found no connection or no answer. */
    private volatile boolean down;

    /**
     * Connects at the first session, in a worker, not here (the master runs {@code main} too).
     * The caller checked the arguments, and that Lettuce is on the class path (this class needs it
     * to load).
     */
    public RedisSessions(ServerAddress address, String prefix, Duration timeout) {
        try {
            RedisURI.create(address.text()); // what Lettuce refuses (a database that is no number), refused here, in main
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("redis address '" + address + "' is not one Lettuce takes: "
                    + e.getClass().getSimpleName() + "; write redis://[:password@]host[:port][/db], the db a number");
        }
        this.address = address;
        this.prefix = prefix;
        this.timeout = timeout;
    }

    public Map<String, String> read(String id, Duration lifetime) {
        Map<String, String> values = hash(await("read", true, redis -> redis.eval(READ, ScriptOutputType.MULTI, new String[] {prefix + id},
                Long.toString(lifetime.toMillis()))));
        return values.isEmpty() ? null : values;
    }

    public Map<String, String> update(String id, boolean clear, Map<String, String> changes, Duration lifetime) {
        List<String> sets = new java.util.ArrayList<>();
        List<String> removes = new java.util.ArrayList<>();
        changes.forEach((name, value) -> {
            if (value == null) {
                removes.add(name);
            } else {
                sets.add(name);
                sets.add(value);
            }
        });
        List<String> arguments = new java.util.ArrayList<>(List.of(Long.toString(lifetime.toMillis()), clear ? "1" : "0",
                Integer.toString(sets.size() / 2)));
        arguments.addAll(sets);
        arguments.addAll(removes);
        String[] values = arguments.toArray(String[]::new);
        // Sent twice, a clearing update would wipe what another worker wrote in between: it is not sent again.
        return hash(await("write", !clear, redis -> redis.eval(UPDATE, ScriptOutputType.MULTI, new String[] {prefix + id}, values)));
    }

    public void touch(String id, Duration lifetime) {
        await("touch", true, redis -> redis.pexpire(prefix + id, lifetime.toMillis()));
    }

    public void destroy(String id) {
        await("delete", true, redis -> redis.del(prefix + id));
    }

    private static Map<String, String> hash(List<Object> pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            values.put((String) pairs.get(i), (String) pairs.get(i + 1));
        }
        return values;
    }

    private synchronized RedisLink link() {
        if (link == null) {
            link = RedisLink.of(address);
        }
        return link;
    }

    /** @param again whether a call whose connection broke under it may be sent once more, on a new connection */
    private <T> T await(String what, boolean again, Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        for (int attempt = 1; ; attempt++) {
            StatefulRedisConnection<String, String> connection = null;
            CompletableFuture<T> reply = null;
            // Connecting (and Lettuce's own start, at the first session) has the link's bound, or a short one while Redis
            // is down; each answer, the timeout.
            long connectWait = down ? WAIT_WHILE_DOWN.toMillis() : RedisLink.CONNECT_TIMEOUT.toMillis() + 100;
            try {
                connection = link().commands().get(connectWait, TimeUnit.MILLISECONDS);
                reply = command.apply(connection.async()).toCompletableFuture();
                T answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                down = false;
                return answer;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : e.getCause();
                down = cause instanceof RedisConnectionException;
                boolean broken = !(cause instanceof RedisCommandExecutionException) && !(cause instanceof RedisConnectionException);
                if (!broken || !again || attempt == 2) { // a connection that broke since the last call is replaced once
                    throw failure(what, Causes.why(cause), cause);
                }
            } catch (TimeoutException e) {
                down = true;
                if (reply != null) { // no answer on an open connection: a half-open one, most likely; the next call opens another
                    reply.cancel(false);
                    connection.closeAsync();
                }
                throw failure(what, reply == null ? "no connection within " + connectWait + " ms"
                        : "no answer within " + timeout.toMillis() + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(what, "interrupted", e);
            } catch (RuntimeException e) { // Lettuce's own refusal, before anything was sent
                throw failure(what, Causes.why(e), e);
            }
        }
    }

    /** A failure naming the address (its password left out), never the session's id. */
    private UncheckedIOException failure(String what, String why, Throwable cause) {
        return new UncheckedIOException("cannot " + what + " a session in " + address + " (" + why
                + "): check that Redis answers there, or catch this around the session's use (request.session() and its set, flush, regenerateId)", new IOException(why, cause));
    }
}
