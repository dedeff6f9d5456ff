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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This process's Lettuce clients for one Redis address, on one I/O thread shared by all. Two
 * clients, because the two uses want opposite reliability: publish/subscribe reconnects by itself
 * (100 ms to 1 s apart), renews its subscriptions, and sends commands issued meanwhile on
 * reconnect (up to 100,000); GlobalData is at most once: a command in flight when the connection
 * breaks fails, is never sent twice, and the next command opens a new connection.
 */
final class RedisLink {
    static final int QUEUE_LIMIT = 100_000;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * TCP keepalive ({@link KeepAlive}), as Workerman pings its Redis every 55 s: a connection a NAT
     * or firewall dropped while idle is found and replaced before a call waits on it (the OS's 2 h
     * left the first call after a quiet night to time out).
     */
    static final SocketOptions.KeepAliveOptions KEEP_ALIVE = SocketOptions.KeepAliveOptions.builder().enable()
            .idle(KeepAlive.IDLE).interval(KeepAlive.INTERVAL).count(KeepAlive.PROBES).build();
    private static final Map<String, RedisLink> LINKS = new ConcurrentHashMap<>();
    private static ClientResources resources;

    final ServerAddress address;
    final RedisURI uri;
    final RedisClient pubSub;
    private final RedisClient store;
    private CompletableFuture<StatefulRedisConnection<String, String>> commands;

    private RedisLink(ServerAddress address) {
        this.address = address;
        this.uri = RedisURI.create(address.text());
        SocketOptions socket = SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(KEEP_ALIVE).build();
        this.pubSub = RedisClient.create(resources(), uri);
        pubSub.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(QUEUE_LIMIT).socketOptions(socket).build());
        this.store = RedisClient.create(resources(), uri);
        store.setOptions(ClientOptions.builder().autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).socketOptions(socket).build());
    }

    /** The link for {@code address}, whose Lettuce its caller made sure of ({@link ServerAddress#requireLettuce}). */
    static RedisLink of(ServerAddress address) {
        return LINKS.computeIfAbsent(address.text(), a -> new RedisLink(address));
    }

    private static synchronized ClientResources resources() {
        if (resources == null) {
            // Lettuce logs every reconnect attempt at INFO; drover reports the outage once itself.
            Logger.getLogger("io.lettuce").setLevel(Level.WARNING);
            resources = ClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
                    .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                    .build();
        }
        return resources;
    }

    /** The GlobalData connection: the open one, or a new one being opened (never blocks). */
    synchronized CompletableFuture<StatefulRedisConnection<String, String>> commands() {
        boolean usable = commands != null && (!commands.isDone()
                || !commands.isCompletedExceptionally() && commands.join().isOpen());
        if (!usable) {
            if (commands != null && commands.isDone() && !commands.isCompletedExceptionally()) {
                commands.join().closeAsync();
            }
            commands = store.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
        }
        return commands;
    }
}
