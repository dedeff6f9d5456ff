package dev.drover.internal;

import dev.drover.TimerTask;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The timers of one worker process, scheduled on its event loop. */
public final class Timers {
    private final EventLoop loop;
    private final WorkerRuntime runtime;
    private final AtomicLong lastId = new AtomicLong();
    private final Map<Long, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

    Timers(EventLoop loop, WorkerRuntime runtime) {
        this.loop = loop;
        this.runtime = runtime;
    }

    public long add(long micros, TimerTask task, boolean persistent) {
        long id = lastId.incrementAndGet();
        Runnable run = () -> {
            if (!persistent) {
                running.remove(id);
            }
            runtime.call("timer " + id, task::run); // busy for status, 250 on an exception, as callbacks
        };
        ScheduledFuture<?> future = persistent
                ? loop.scheduleAtFixedRate(run, micros, micros, TimeUnit.MICROSECONDS)
                : loop.schedule(run, micros, TimeUnit.MICROSECONDS);
        running.put(id, future);
        return id;
    }

    public boolean del(long id) {
        ScheduledFuture<?> future = running.remove(id);
        return future != null && future.cancel(false);
    }

    public void delAll() {
        running.keySet().forEach(this::del);
    }

    public int count() {
        return running.size();
    }
}
