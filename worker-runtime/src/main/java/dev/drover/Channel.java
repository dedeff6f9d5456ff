package dev.drover;

import dev.drover.internal.WorkerRuntime;
import dev.drover.internal.channel.ChannelClient;
import dev.drover.internal.channel.ServerAddress;

/**
 * Workerman's {@code Channel\Client}: publish/subscribe between worker processes, on this host
 * through a {@link ChannelServer} or across hosts through Redis. One connection per worker process,
 * opened by {@link #connect} (in {@code onWorkerStart}); handlers run on the worker's event loop.
 *
 * <p>Reconnects: a lost server or Redis is dialled again every second and every subscription is
 * renewed. Events this worker publishes meanwhile wait (up to 64 MiB) and are sent in order on
 * reconnect; events published elsewhere while this worker was cut off are not delivered to it (the
 * log says when and for how long; {@link #onClose} and {@link #onConnect} tell the application).
 */
public final class Channel {
    private static volatile ChannelClient client;

    private Channel() {}

    /** {@code new ChannelServer(host, port)}: declares the embedded server's worker group (before {@link Worker#runAll}). */
    public static ChannelServer server(String host, int port) {
        return new ChannelServer(host, port);
    }

    /** {@code new ChannelServer()}: the embedded server on 127.0.0.1:2206. */
    public static ChannelServer server() {
        return new ChannelServer();
    }

    /** Connects to the {@link ChannelServer} on 127.0.0.1:2206. */
    public static void connect() {
        connect("127.0.0.1", 2206);
    }

    /** Connects to the {@link ChannelServer} on {@code host:port}. */
    public static void connect(String host, int port) {
        connect(ChannelServer.hostPart(host) + ":" + port);
    }

    /**
     * Connects to {@code address}: {@code host:port} (a {@link ChannelServer}) or
     * {@code redis://[:password@]host[:port][/db]} (Redis pub/sub; needs lettuce-core on the class
     * path). Connecting again to the same address does nothing.
     *
     * @throws IllegalStateException outside a worker process, when already connected elsewhere, or
     *     for a {@code redis://} address without Lettuce on the class path
     */
    public static void connect(String address) {
        ServerAddress parsed = ServerAddress.parse(address);
        parsed.requireLettuce();
        WorkerRuntime runtime = runtime("connections");
        requireSameAddress(parsed);
        runtime.onLoop(() -> {
            if (client == null) {
                client = ChannelClient.start(runtime, parsed);
            } else {
                requireSameAddress(parsed);
            }
        });
    }

    /** Calls {@code handler} with the data of every {@code event} published from now on (replacing an earlier handler). */
    public static void on(String event, EventCallback handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        ChannelClient channel = connected("on");
        String name = requireEvent(event);
        onLoop(() -> channel.on(name, handler));
    }

    /** Stops hearing {@code event}. */
    public static void unsubscribe(String event) {
        ChannelClient channel = connected("unsubscribe");
        String name = requireEvent(event);
        onLoop(() -> channel.unsubscribe(name));
    }

    /**
     * Sends {@code data} (up to 63 MiB of UTF-8) to every process subscribed to {@code event}, this
     * one included once its subscription has reached the server or Redis (a round trip after {@link #on}).
     */
    public static void publish(String event, String data) {
        java.util.Objects.requireNonNull(data, "data");
        ChannelClient channel = connected("publish");
        String name = requireEvent(event);
        if (ChannelClient.overMaxData(data)) {
            throw new IllegalArgumentException("Channel.publish('" + name + "'): " + data.length() + " characters are over the "
                    + (ChannelClient.MAX_DATA_BYTES >> 20) + " MiB an event may carry");
        }
        onLoop(() -> channel.publish(name, data));
    }

    /** Called each time the connection is (re)established, after the subscriptions are renewed. */
    public static void onConnect(TimerTask callback) {
        ChannelClient channel = connected("onConnect");
        onLoop(() -> channel.onConnect(callback));
    }

    /** Called when the connection is lost (once per outage). */
    public static void onClose(TimerTask callback) {
        ChannelClient channel = connected("onClose");
        onLoop(() -> channel.onClose(callback));
    }

    private static void requireSameAddress(ServerAddress address) {
        ChannelClient now = client;
        if (now != null && !now.address().equals(address)) {
            throw new IllegalStateException("Channel is connected to " + now.address() + ", not " + address
                    + ": a worker process has one channel connection");
        }
    }

    private static ChannelClient connected(String method) {
        if (client == null) {
            throw new IllegalStateException("Channel." + method + " before Channel.connect: connect in onWorkerStart first");
        }
        return client;
    }

    private static String requireEvent(String event) {
        if (event == null || event.isEmpty()) {
            throw new IllegalArgumentException("an event name must not be empty");
        }
        return event;
    }

    private static void onLoop(Runnable action) {
        runtime("calls").onLoop(action);
    }

    private static WorkerRuntime runtime(String what) {
        try {
            return WorkerRuntime.current();
        } catch (IllegalStateException notAWorker) {
            throw new IllegalStateException("Channel " + what + " work in a worker process: call Channel.connect in onWorkerStart,"
                    + " not in main() before Worker.runAll", notAWorker);
        }
    }

}
