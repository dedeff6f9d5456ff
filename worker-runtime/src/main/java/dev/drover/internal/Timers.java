package dev.drover.internal;

import dev.drover.TimerTask;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/** The timers of one worker process, scheduled on its event loop. */
public final class Timers {
    private final EventLoop loop;
    private final BiConsumer<String, Throwable> onFailure;
    private final AtomicLong lastId = new AtomicLong();
    private final Map<Long, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

    Timers(EventLoop loop, BiConsumer<String, Throwable> onFailure) {
        this.loop = loop;
        this.onFailure = onFailure;
    }

    public long add(long micros, TimerTask task, boolean persistent) {
        long id = lastId.incrementAndGet();
        Runnable run = () -> {
            if (!persistent) {
                running.remove(id);
            }
            try {
                task.run();
            } catch (Throwable e) {
                onFailure.accept("timer " + id, e);
            }
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
