package dev.drover.internal.channel;

import dev.drover.internal.Causes;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.channel.EventLoopGroup;
import java.net.SocketAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Redis backend's publish/subscribe side: a subscriber connection and a command connection
 * (PUBLISH) from this process's {@link RedisLink}. A PUBLISH in flight when a connection breaks is
 * sent again on reconnect (Lettuce's at-least-once), so an event may then arrive twice. Messages and state changes arrive on Lettuce's
 * thread and are handed to the worker's event loop. A first connect that fails is tried again
 * every second; after that Lettuce reconnects and subscribes again by itself.
 */
final class RedisPubSub implements PubSub {
    private final RedisLink link;
    private final EventLoopGroup loop;
    private final Listener listener;
    private final Set<String> events = new LinkedHashSet<>();
    private StatefulRedisPubSubConnection<String, String> subscriber;
    private StatefulRedisConnection<String, String> publisher;
    private boolean connected;

    RedisPubSub(RedisLink link, EventLoopGroup loop, Listener listener) {
        this.link = link;
        this.loop = loop;
        this.listener = listener;
        link.pubSub.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
                loop.execute(RedisPubSub.this::checkState);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                loop.execute(RedisPubSub.this::checkState);
            }
        });
    }

    @Override
    public void start() {
        io.lettuce.core.RedisURI uri = link.uri;
        link.pubSub.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture()
                .thenCompose(sub -> link.pubSub.connectAsync(StringCodec.UTF8, uri).toCompletableFuture()
                        .whenComplete((pub, failed) -> {
                            if (failed != null) {
                                sub.closeAsync();
                            }
                        })
                        .thenAccept(pub -> loop.execute(() -> opened(sub, pub))))
                .exceptionally(failure -> {
                    loop.execute(() -> {
                        listener.disconnected(Causes.rootMessage(failure));
                        if (!loop.isShuttingDown()) {
                            loop.schedule(this::start, 1, TimeUnit.SECONDS);
                        }
                    });
                    return null;
                });
    }

    private void opened(StatefulRedisPubSubConnection<String, String> sub, StatefulRedisConnection<String, String> pub) {
        subscriber = sub;
        publisher = pub;
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String event, String data) {
                loop.execute(() -> listener.event(event, data));
            }
        });
        if (!events.isEmpty()) {
            sub.async().subscribe(events.toArray(String[]::new));
        }
        checkState();
    }

    /** Compares Lettuce's state with what the listener was told last; only the event loop changes the latter. */
    private void checkState() {
        boolean now = subscriber != null && subscriber.isOpen() && publisher.isOpen();
        if (now != connected) {
            connected = now;
            if (now) {
                listener.connected();
            } else {
                listener.disconnected("the connection to redis was lost");
            }
        }
    }

    /**
     * What the listener was told last. An outage Lettuce got over before the loop looked never
     * shows: what was published meanwhile waited in Lettuce's own queue.
     */
    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public void subscribe(String event) {
        if (events.add(event) && subscriber != null) {
            subscriber.async().subscribe(event);
        }
    }

    @Override
    public void unsubscribe(String event) {
        if (events.remove(event) && subscriber != null) {
            subscriber.async().unsubscribe(event);
        }
    }

    @Override
    public void publish(String event, String data) {
        publisher.async().publish(event, data).whenComplete((receivers, failure) -> {
            if (failure != null) { // Lettuce's request queue full, a command that timed out, ...
                loop.execute(() -> listener.publishFailed(event, Causes.rootMessage(failure)));
            }
        });
    }
}
