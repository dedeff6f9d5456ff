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
    private final Map<Long, Entry> running = new ConcurrentHashMap<>();

    /**
     * A timer in {@link #running}, there before it is scheduled: added from another thread, its
     * task may run on the loop before {@code schedule} returned, and must find itself. A del that
     * comes before its future exists leaves {@code deleted} for the adder to see.
     */
    private static final class Entry {
        volatile ScheduledFuture<?> future;
        volatile boolean deleted;

        void scheduled(ScheduledFuture<?> next) {
            future = next;
            if (deleted) {
                next.cancel(false);
            }
        }
    }

    Timers(EventLoop loop, Runner runner) {
        this.loop = loop;
        this.runner = runner;
    }

    /** Adds a timer, on the event loop or from any other thread. */
    public long add(long micros, TimerTask task, boolean persistent) {
        long id = lastId.incrementAndGet();
        Entry entry = new Entry();
        running.put(id, entry);
        try {
            if (persistent) {
                new Repeating(id, entry, task, TimeUnit.MICROSECONDS.toNanos(micros)).schedule(System.nanoTime());
            } else {
                entry.scheduled(loop.schedule(() -> {
                    if (running.remove(id, entry)) {
                        runner.run("timer " + id, task);
                    }
                }, micros, TimeUnit.MICROSECONDS));
            }
        } catch (RuntimeException rejected) { // the loop is shutting down: the timer never runs, and is not counted
            running.remove(id, entry);
            throw rejected;
        }
        return id;
    }

    /**
     * A timer that runs every {@code period}, on time, without catching up: after the loop was
     * blocked for several periods it runs once, then a period later (as Workerman's timers do),
     * where a fixed rate would run the missed ones back to back.
     */
    private final class Repeating implements Runnable {
        private final long id;
        private final Entry entry;
        private final TimerTask task;
        private final long period;
        private long due;

        Repeating(long id, Entry entry, TimerTask task, long period) {
            this.id = id;
            this.entry = entry;
            this.task = task;
            this.period = period;
        }

        void schedule(long from) {
            due = from + period;
            entry.scheduled(loop.schedule(this, period, TimeUnit.NANOSECONDS));
        }

        @Override
        public void run() {
            if (entry.deleted) {
                return;
            }
            runner.run("timer " + id, task);
            if (entry.deleted) {
                return; // deleted, by its own task too
            }
            long now = System.nanoTime();
            long next = due + period;
            due = next - now > 0 ? next : now + period;
            entry.scheduled(loop.schedule(this, due - now, TimeUnit.NANOSECONDS));
        }
    }

    /** Cancels timer {@code id}, also from its own task or another thread; false when no such timer runs. */
    public boolean del(long id) {
        Entry entry = running.remove(id);
        if (entry == null) {
            return false;
        }
        entry.deleted = true;
        ScheduledFuture<?> future = entry.future;
        if (future != null) {
            future.cancel(false);
        }
        return true;
    }

    public void delAll() {
        running.keySet().forEach(this::del);
    }

    public int count() {
        return running.size();
    }
}
