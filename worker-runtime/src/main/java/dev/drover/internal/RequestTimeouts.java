package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.Worker;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A worker's request and keep-alive timeouts ({@link Worker#setRequestTimeout},
 * {@link Worker#setKeepAliveTimeout}): one sweep on the event loop, every quarter of the shortest
 * timeout (0.1 to 1 s), over the connections they bound, closing those whose client took too long
 * ({@link NettyConnection#requestTimedOut}). It runs only while such a connection is open, so an
 * idle worker is not woken, and reads no clock on the request path.
 */
final class RequestTimeouts {
    private final EventLoop loop;
    private final Supplier<Collection<Map<Long, Connection>>> connections;
    private ScheduledFuture<?> sweep;

    RequestTimeouts(EventLoop loop, Supplier<Collection<Map<Long, Connection>>> connections) {
        this.loop = loop;
        this.connections = connections;
    }

    /** A connection the timeouts bound opened (on the loop): the sweep runs, if {@code worker} has a timeout. */
    void watch(Worker worker) {
        if (sweep != null) {
            return;
        }
        long shortest = Math.min(positive(worker.getRequestTimeout()), positive(worker.getKeepAliveTimeout()));
        if (shortest == Long.MAX_VALUE) {
            return;
        }
        long period = Math.max(100, Math.min(1000, shortest / 4));
        sweep = loop.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    private static long positive(Duration timeout) {
        return timeout.isZero() ? Long.MAX_VALUE : timeout.toMillis();
    }

    private void sweep() {
        long now = System.nanoTime();
        boolean any = false;
        for (Map<Long, Connection> open : connections.get()) {
            for (Connection connection : open.values()) {
                if (connection instanceof NettyConnection timed && timed.requestTimed()) {
                    any = true;
                    timed.requestTimedOut(now);
                }
            }
        }
        if (!any) {
            sweep.cancel(false);
            sweep = null;
        }
    }
}
