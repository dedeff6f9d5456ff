package dev.drover.internal.channel;

import dev.drover.EventCallback;
import dev.drover.TimerTask;
import dev.drover.internal.WorkerRuntime;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * This worker's side of {@code Channel}: the handlers by event, the backend, and the events
 * published while the backend is unreachable (or not taking more), kept up to
 * {@link #QUEUE_BYTES} of heap (64 MiB, or an eighth of the heap when that is less) and sent in
 * order before anything newer. Every outage and its end is
 * written to the log with what it cost. Runs on the worker's event loop only.
 */
public final class ChannelClient implements PubSub.Listener {
    static final long QUEUE_BYTES = queueBytes(Runtime.getRuntime().maxMemory());
    /**
     * What a waiting publish costs beside its text: its String[] pair, the data's String and array
     * headers, the queue's slot (measured: 1.74 M small events took 146 MB where their text alone
     * counted 64 MiB, and a worker of -Xmx128m ran out of memory in an outage).
     */
    static final int ENTRY_BYTES = 64;

    /** The queue's bound in a heap of at most {@code maxHeap} bytes: 64 MiB, or an eighth of the heap when that is less. */
    static long queueBytes(long maxHeap) {
        return Math.min(64L << 20, maxHeap / 8);
    }
    /** A channel message's limit: the server's frame limit, with room for the event's name. */
    public static final int MAX_DATA_BYTES = FramePubSub.MAX_FRAME - (1 << 20);

    /** Whether {@code texts} (nulls count nothing) carry more than {@link #MAX_DATA_BYTES} in UTF-8; counted only when they may. */
    public static boolean overMaxData(String... texts) {
        long chars = 0;
        for (String text : texts) {
            chars += text == null ? 0 : text.length();
        }
        if (chars <= MAX_DATA_BYTES / 3) {
            return false; // three bytes a char at most
        }
        long bytes = 0;
        for (String text : texts) {
            bytes += text == null ? 0 : io.netty.buffer.ByteBufUtil.utf8Bytes(text);
        }
        return bytes > MAX_DATA_BYTES;
    }

    /** What the client needs of its worker: the log, whether it is stopping, a way to run application code, and a clock (nanoseconds). */
    record Host(Consumer<String> log, BooleanSupplier stopping, BiConsumer<String, TimerTask> call, LongSupplier clock,
                BiConsumer<Runnable, Long> later) {}

    private final Host host;
    private final ServerAddress address;
    private final PubSub backend;
    private final Map<String, EventCallback> handlers = new HashMap<>();
    private final ArrayDeque<String[]> queued = new ArrayDeque<>();
    private long queuedBytes;
    private long dropped;
    private long downSince;
    private boolean reportedDown;
    /** When the backend last connected, until it disconnected ({@link #NEVER} then). */
    private long connectedAt = NEVER;
    private static final long NEVER = Long.MIN_VALUE;
    /** The last connection ended within {@link #BRIEF} of its start (a server that accepts and closes). */
    private boolean flapping;
    /** While flapping, outages and their ends are logged once until then. */
    private long quietUntil;
    /** An outage was logged and its end not yet: told once a connection lasts, flapping or not. */
    private boolean outageLogged;
    /** Publishes the backend failed since the last report of them, and when the next report may be written. */
    private long failedPublishes;
    private long nextFailureReport = NEVER;
    private static final long BRIEF = 1_000_000_000L;
    private static final long QUIET = 60_000_000_000L;
    private TimerTask onConnect;
    private TimerTask onClose;

    public static ChannelClient start(WorkerRuntime runtime, ServerAddress address) {
        Host host = new Host(runtime::log, runtime::isStopping, runtime::callApplication, System::nanoTime,
                (task, nanos) -> runtime.loop().schedule(task, nanos, TimeUnit.NANOSECONDS));
        return new ChannelClient(host, address, listener -> address.redis()
                ? new RedisPubSub(RedisLink.of(address), runtime.loop(), listener)
                : new FramePubSub(address, runtime.loop(), listener));
    }

    ChannelClient(Host host, ServerAddress address, Function<PubSub.Listener, PubSub> backend) {
        this.host = host;
        this.address = address;
        this.backend = backend.apply(this);
        this.downSince = host.clock().getAsLong();
        this.backend.start();
    }

    public ServerAddress address() {
        return address;
    }

    public void on(String event, EventCallback handler) {
        handlers.put(event, handler);
        backend.subscribe(event);
    }

    public void unsubscribe(String event) {
        handlers.remove(event);
        backend.unsubscribe(event);
    }

    public void publish(String event, String data) {
        sendQueued();
        if (queued.isEmpty() && backend.isConnected()) {
            backend.publish(event, data);
            return;
        }
        long size = cost(event, data);
        if (queuedBytes + size > QUEUE_BYTES && !queued.isEmpty()) { // one event alone always waits: a big one would never fit
            if (dropped++ == 0) { // told at once; how many, when it ends
                host.log().accept(connectedAt != NEVER
                        ? "channel: " + address + " takes no more: " + (QUEUE_BYTES >> 20) + " MiB of events published here wait"
                                + " for it to read; what is published here is dropped until it catches up"
                        : "channel: " + address + (reportedDown ? " is still unreachable" : " is not connected yet") + " and "
                                + (QUEUE_BYTES >> 20) + " MiB of events published here wait for it; what is published here is dropped until"
                                + " it is connected, and counted then");
            }
            return;
        }
        queued.add(new String[] {event, data});
        queuedBytes += size;
    }

    /** What a waiting publish counts against the queue's bound: two bytes a char, and its entry's own. */
    private static long cost(String event, String data) {
        return 2L * (event.length() + data.length()) + ENTRY_BYTES;
    }

    /** Sends what waits, oldest first, while the backend takes it; returns how many went out. */
    private int sendQueued() {
        int sent = 0;
        while (!queued.isEmpty() && backend.isConnected()) {
            String[] publish = queued.poll();
            queuedBytes -= cost(publish[0], publish[1]);
            backend.publish(publish[0], publish[1]);
            sent++;
        }
        return sent;
    }

    public void onConnect(TimerTask callback) {
        this.onConnect = callback;
    }

    public void onClose(TimerTask callback) {
        this.onClose = callback;
    }

    @Override
    public void event(String event, String data) {
        EventCallback handler = handlers.get(event);
        if (handler != null) {
            host.call().accept("Channel.on('" + event + "')", () -> handler.call(data));
        }
    }

    @Override
    public void writable() {
        sendQueued();
        if (queued.isEmpty() && dropped > 0 && connectedAt != NEVER) {
            host.log().accept("channel: " + address + " caught up; " + dropped + " events published here were dropped meanwhile");
            dropped = 0;
        }
    }

    /** The first failure is logged at once, later ones at most once a minute with their count. */
    @Override
    public void publishFailed(String event, String cause) {
        failedPublishes++;
        long now = host.clock().getAsLong();
        if (nextFailureReport == NEVER || now - nextFailureReport >= 0) {
            host.log().accept("channel: publishing '" + event + "' to " + address + " failed: " + cause
                    + (failedPublishes > 1 ? " (" + failedPublishes + " publishes failed since the last report)" : "")
                    + "; a failed publish is not sent again; more failures are reported at most once a minute");
            failedPublishes = 0;
            nextFailureReport = now + QUIET;
        }
    }

    private boolean quiet() {
        return flapping && host.clock().getAsLong() < quietUntil;
    }

    @Override
    public void connected() {
        connectedAt = host.clock().getAsLong();
        boolean everConnected = this.everConnected;
        this.everConnected = true;
        int sent = sendQueued();
        if (reportedDown || dropped > 0) {
            long millis = (host.clock().getAsLong() - downSince) / 1_000_000;
            String back = "channel: connected to " + address + (everConnected ? " again after " + millis + " ms"
                    : reportedDown ? ", " + millis + " ms after its first try failed" : "") + "; sent the " + sent
                    + " events published here meanwhile" + (queued.isEmpty() ? "" : " (" + queued.size() + " more wait)")
                    + (dropped > 0 ? "; " + dropped + " more were dropped (over " + (QUEUE_BYTES >> 20) + " MiB waiting)" : "")
                    + "; what others published while no server read it may not have reached this worker";
            if (!quiet()) {
                outageLogged = false;
                host.log().accept(back);
            } else if (outageLogged) { // its outage was told: its end is told once this connection lasts
                long since = connectedAt;
                host.later().accept(() -> {
                    if (connectedAt == since && outageLogged) {
                        outageLogged = false;
                        host.log().accept(back);
                    }
                }, BRIEF);
            }
        }
        reportedDown = false;
        dropped = 0;
        if (onConnect != null) {
            host.call().accept("Channel.onConnect", onConnect);
        }
    }

    /** Whether a connection was ever made: the first one after failed tries is not "again". */
    private boolean everConnected;

    @Override
    public void disconnected(String cause) {
        long now = host.clock().getAsLong();
        if (connectedAt != NEVER) { // a connection ended, not a dial that failed
            flapping = now - connectedAt < BRIEF;
            connectedAt = NEVER;
        }
        if (reportedDown || host.stopping().getAsBoolean()) {
            return; // reported already, or this worker is leaving anyway (a whole stop takes the server too)
        }
        reportedDown = true;
        if (!quiet()) {
            downSince = now;
            outageLogged = true;
            host.log().accept("channel: " + address + " is unreachable (" + cause + "); reconnecting (at most a second apart);"
                    + " events published here wait (up to " + (QUEUE_BYTES >> 20) + " MiB) and go out on reconnect"
                    + (flapping ? "; it closed the connection within a second of accepting it: until one lasts, this is logged once a minute" : ""));
            if (flapping) {
                quietUntil = now + QUIET;
            }
        }
        if (onClose != null) {
            host.call().accept("Channel.onClose", onClose);
        }
    }
}
