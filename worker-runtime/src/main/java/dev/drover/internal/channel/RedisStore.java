package dev.drover.internal.channel;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** GlobalData on Redis: GET, SET, SETNX, INCRBY, DEL, and compare-and-set as one Lua script; never blocks the caller. */
final class RedisStore implements Store {
    private static final String CAS = "local v = redis.call('GET', KEYS[1]) "
            + "if (ARGV[1] == '0' and v == false) or (ARGV[1] == '1' and v == ARGV[2]) then "
            + "redis.call('SET', KEYS[1], ARGV[3]) return 1 end return 0";

    private final RedisLink link;

    RedisStore(RedisLink link) {
        this.link = link;
    }

    /**
     * Opens the connection, and sends a PING, whose classes a command needs too, before any command
     * ({@link Stores#prepare}); completes with its answer, or its failure.
     */
    CompletableFuture<String> connect() {
        return link.commands().thenCompose(connection -> connection.async().ping());
    }

    @Override
    public CompletableFuture<String> call(StoreOp op, List<String> arguments) {
        return link.commands().thenCompose(connection -> send(connection.async(), op, arguments));
    }

    private static CompletableFuture<String> send(RedisAsyncCommands<String, String> redis, StoreOp op, List<String> a) {
        String key = a.get(0);
        CompletableFuture<?> reply = switch (op) {
            case GET -> redis.get(key).toCompletableFuture();
            case SET -> redis.set(key, a.get(1)).toCompletableFuture();
            case ADD -> redis.setnx(key, a.get(1)).thenApply(RedisStore::flag).toCompletableFuture();
            case INCREMENT -> redis.incrby(key, Long.parseLong(a.get(1))).thenApply(String::valueOf).toCompletableFuture();
            case CAS -> redis.<Long>eval(CAS, ScriptOutputType.INTEGER, new String[] {key},
                    a.get(1) == null ? "0" : "1", a.get(1) == null ? "" : a.get(1), a.get(2))
                    .thenApply(n -> flag(n == 1L)).toCompletableFuture();
            case DELETE -> redis.del(key).thenApply(n -> flag(n > 0)).toCompletableFuture();
        };
        return reply.thenApply(value -> (String) value);
    }

    private static String flag(boolean done) {
        return done ? "1" : null;
    }
}
