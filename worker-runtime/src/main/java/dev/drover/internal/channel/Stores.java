package dev.drover.internal.channel;

import dev.drover.master.Environment;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One GlobalData backend connection per address in this process, shared by every {@code GlobalData}. */
public final class Stores {
    private static final Map<String, Store> STORES = new ConcurrentHashMap<>();
    private static final Set<String> PREPARED = ConcurrentHashMap.newKeySet();

    private Stores() {}

    /**
     * Sets the backend at {@code address} up ahead of the first command, on a thread of its own:
     * Redis' client (Lettuce and Reactor, thousands of classes) took 1.6 to 1.9 s here, 3 to 8 s
     * on a busy host, on the thread of the first command, a worker's event loop, which served no one
     * meanwhile. A command that comes sooner waits for the rest of it; a failure is left to that
     * command to report. The embedded server's client is light, and connects on the first command.
     * Only in a worker process: the master runs the application's main() too, and never needs it.
     */
    public static void prepare(ServerAddress address) {
        if (!address.redis() || !Environment.ROLE_WORKER.equals(Environment.role()) || !PREPARED.add(address.text())) {
            return; // a GlobalData made per request asks again and again
        }
        Thread setUp = new Thread(() -> {
            try {
                if (of(address) instanceof RedisStore redis) {
                    redis.connect();
                }
            } catch (RuntimeException | LinkageError reportedByTheFirstCommand) {
                // no Lettuce on the class path, a malformed address: the first command says so
            }
        }, "drover-redis-setup");
        setUp.setDaemon(true);
        setUp.start();
    }

    public static Store of(ServerAddress address) {
        if (address.redis()) {
            RedisLink link = RedisLink.of(address);
            return STORES.computeIfAbsent(address.text(), a -> new RedisStore(link));
        }
        return STORES.computeIfAbsent(address.text(), a -> new FrameStore(address, 5_000));
    }
}
