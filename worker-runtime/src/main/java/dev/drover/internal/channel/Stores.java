package dev.drover.internal.channel;

import dev.drover.master.Environment;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** One GlobalData backend connection per address in this process, shared by every {@code GlobalData}. */
public final class Stores {
    private static final Map<String, Store> STORES = new ConcurrentHashMap<>();
    /** What {@link #prepare} began, by address: done once connected, or failed. */
    private static final Map<String, CompletableFuture<Void>> PREPARED = new ConcurrentHashMap<>();

    private Stores() {}

    /**
     * Sets the backend at {@code address} up ahead of the first command, on a thread of its own:
     * Redis' client (Lettuce and Reactor, thousands of classes) took 1.6 to 1.9 s here, 3 to 8 s
     * on a busy host, on the thread of the first command, a worker's event loop, which served no one
     * meanwhile. A worker starts accepting once what its main() and onWorkerStart began is set up
     * ({@link #prepared}); a command that comes sooner waits for the rest of it, and a failure is
     * left to the first command to report. The embedded server's client is light, and connects on
     * the first command. Only in a worker process: the master runs the application's main() too,
     * and never needs it.
     */
    public static void prepare(ServerAddress address) {
        if (!address.redis() || !Environment.ROLE_WORKER.equals(Environment.role())) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (PREPARED.putIfAbsent(address.text(), done) != null) {
            return; // a GlobalData made per request asks again and again
        }
        Thread setUp = new Thread(() -> {
            try {
                if (of(address) instanceof RedisStore redis) {
                    redis.connect().whenComplete((connected, failed) -> done.complete(null));
                    return;
                }
            } catch (RuntimeException | LinkageError reportedByTheFirstCommand) {
                // Redis away, a malformed address: the first command says so
            }
            done.complete(null);
        }, "drover-redis-setup");
        setUp.setDaemon(true);
        setUp.start();
    }

    /** Completes once every backend {@link #prepare} began is connected, or has failed. */
    public static CompletableFuture<Void> prepared() {
        return CompletableFuture.allOf(PREPARED.values().toArray(CompletableFuture[]::new));
    }

    public static Store of(ServerAddress address) {
        if (address.redis()) {
            RedisLink link = RedisLink.of(address);
            return STORES.computeIfAbsent(address.text(), a -> new RedisStore(link));
        }
        return STORES.computeIfAbsent(address.text(), a -> new FrameStore(address, 5_000));
    }
}
