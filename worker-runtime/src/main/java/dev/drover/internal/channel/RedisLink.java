package dev.drover.internal.channel;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This process's Lettuce client for one Redis address, shared by Channel and GlobalData: one I/O
 * thread, reconnects every 100 ms to 1 s, commands issued while disconnected wait (up to 100,000)
 * and go out on reconnect, subscriptions are renewed by Lettuce itself.
 */
final class RedisLink {
    static final int QUEUE_LIMIT = 100_000;
    private static final Map<String, RedisLink> LINKS = new ConcurrentHashMap<>();
    private static ClientResources resources;

    final ServerAddress address;
    final RedisClient client;
    private StatefulRedisConnection<String, String> commands;

    private RedisLink(ServerAddress address) {
        this.address = address;
        this.client = RedisClient.create(resources(), RedisURI.create(address.text()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(QUEUE_LIMIT)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(5)).keepAlive(true).build())
                .build());
    }

    static RedisLink of(ServerAddress address) {
        try {
            Class.forName("io.lettuce.core.RedisClient", false, RedisLink.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(address + ": the Redis backend needs io.lettuce:lettuce-core (7.x) on the class path;"
                    + " add it to the application's dependencies");
        }
        return LINKS.computeIfAbsent(address.text(), a -> new RedisLink(address));
    }

    private static synchronized ClientResources resources() {
        if (resources == null) {
            // Lettuce logs every reconnect attempt at INFO; drover reports the outage once itself.
            Logger.getLogger("io.lettuce").setLevel(Level.WARNING);
            resources = ClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
                    .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .build();
        }
        return resources;
    }

    /** The connection for commands and publishing, opened on first use (blocking up to the connect timeout). */
    synchronized StatefulRedisConnection<String, String> commands() {
        if (commands == null) {
            commands = client.connect(StringCodec.UTF8);
        }
        return commands;
    }
}
