package dev.drover.internal.channel;

import dev.drover.EventCallback;
import dev.drover.TimerTask;
import dev.drover.internal.WorkerRuntime;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * This worker's side of {@code Channel}: the handlers by event, the backend, and the events
 * published while the backend is unreachable, kept (up to {@value #QUEUE_BYTES} bytes) and sent in
 * order once it is back. Every outage and its end is written to the log with what it cost. Runs on
 * the worker's event loop only.
 */
public final class ChannelClient implements PubSub.Listener {
    static final long QUEUE_BYTES = 64L << 20;

    private final WorkerRuntime runtime;
    private final ServerAddress address;
    private final PubSub backend;
    private final Map<String, EventCallback> handlers = new HashMap<>();
    private final ArrayDeque<String[]> queued = new ArrayDeque<>();
    private long queuedBytes;
    private long dropped;
    private long downSince;
    private boolean reportedDown;
    private TimerTask onConnect;
    private TimerTask onClose;

    public ChannelClient(WorkerRuntime runtime, ServerAddress address) {
        this.runtime = runtime;
        this.address = address;
        this.backend = address.redis() ? new RedisPubSub(RedisLink.of(address), runtime.loop(), this)
                : new FramePubSub(address, runtime.loop(), this);
        this.downSince = System.nanoTime();
        backend.start();
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
        if (backend.isConnected() && queued.isEmpty()) {
            backend.publish(event, data);
            return;
        }
        long size = 2L * (event.length() + data.length());
        if (queuedBytes + size > QUEUE_BYTES) {
            dropped++;
            return;
        }
        queued.add(new String[] {event, data});
        queuedBytes += size;
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
            runtime.callApplication("Channel.on('" + event + "')", () -> handler.call(data));
        }
    }

    @Override
    public void connected() {
        int sent = queued.size();
        for (String[] publish; (publish = queued.poll()) != null; ) {
            backend.publish(publish[0], publish[1]);
        }
        queuedBytes = 0;
        if (reportedDown) {
            long millis = (System.nanoTime() - downSince) / 1_000_000;
            runtime.log("channel: connected to " + address + " again after " + millis + " ms; sent the " + sent
                    + " events published here meanwhile" + (dropped > 0 ? "; " + dropped
                    + " more were dropped (over " + (QUEUE_BYTES >> 20) + " MiB waiting)" : "")
                    + "; events published elsewhere meanwhile were not delivered here");
        }
        reportedDown = false;
        dropped = 0;
        if (onConnect != null) {
            runtime.callApplication("Channel.onConnect", onConnect);
        }
    }

    @Override
    public void disconnected(String cause) {
        if (reportedDown || runtime.isStopping()) {
            return; // reported already, or this worker is leaving anyway (a whole stop takes the server too)
        }
        reportedDown = true;
        downSince = System.nanoTime();
        runtime.log("channel: " + address + " is unreachable (" + cause + "); reconnecting (at most a second apart); events published"
                + " here wait (up to " + (QUEUE_BYTES >> 20) + " MiB) and go out on reconnect");
        if (onClose != null) {
            runtime.callApplication("Channel.onClose", onClose);
        }
    }

}
