package dev.drover.internal.channel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One GlobalData backend connection per address in this process, shared by every {@code GlobalData}. */
public final class Stores {
    private static final Map<String, Store> STORES = new ConcurrentHashMap<>();

    private Stores() {}

    public static Store of(ServerAddress address) {
        if (address.redis()) {
            RedisLink link = RedisLink.of(address);
            return STORES.computeIfAbsent(address.text(), a -> new RedisStore(link));
        }
        return STORES.computeIfAbsent(address.text(), a -> new FrameStore(address, 5_000));
    }
}
