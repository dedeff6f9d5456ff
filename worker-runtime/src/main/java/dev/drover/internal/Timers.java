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
    /** How a task runs: as the runtime runs callbacks (busy for status, 250 on an exception). */
    interface Runner {
        void run(String name, TimerTask task);
    }

    private final EventLoop loop;
    private final Runner runner;
    private final AtomicLong lastId = new AtomicLong();
    private final Map<Long, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

    Timers(EventLoop loop, Runner runner) {
        this.loop = loop;
        this.runner = runner;
    }

    public long add(long micros, TimerTask task, boolean persistent) {
        long id = lastId.incrementAndGet();
        if (persistent) {
            new Repeating(id, task, TimeUnit.MICROSECONDS.toNanos(micros)).schedule(System.nanoTime());
            return id;
        }
        running.put(id, loop.schedule(() -> {
            running.remove(id);
            runner.run("timer " + id, task);
        }, micros, TimeUnit.MICROSECONDS));
        return id;
    }

    /**
     * A timer that runs every {@code period}, on time, without catching up: after the loop was
     * blocked for several periods it runs once, then a period later (as Workerman's timers do),
     * where a fixed rate would run the missed ones back to back.
     */
    private final class Repeating implements Runnable {
        private final long id;
        private final TimerTask task;
        private final long period;
        private long due;

        Repeating(long id, TimerTask task, long period) {
            this.id = id;
            this.task = task;
            this.period = period;
        }

        void schedule(long from) {
            due = from + period;
            running.put(id, loop.schedule(this, period, TimeUnit.NANOSECONDS));
        }

        @Override
        public void run() {
            runner.run("timer " + id, task);
            ScheduledFuture<?> self = running.get(id);
            if (self == null || self.isCancelled()) {
                return; // deleted, by its own task too
            }
            long now = System.nanoTime();
            long next = due + period;
            due = next - now > 0 ? next : now + period;
            ScheduledFuture<?> again = loop.schedule(this, due - now, TimeUnit.NANOSECONDS);
            if (!running.replace(id, self, again)) {
                again.cancel(false);
            }
        }
    }

    /** Cancels timer {@code id}, also from its own task; false when no such timer runs. */
    public boolean del(long id) {
        ScheduledFuture<?> future = running.remove(id);
        if (future == null) {
            return false;
        }
        future.cancel(false);
        return true;
    }

    public void delAll() {
        running.keySet().forEach(this::del);
    }

    public int count() {
        return running.size();
    }
}
