package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Repeating timers on a real event loop: no burst of missed runs after the loop was blocked; deleted from their own task. */
@Timeout(30)
class TimersTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final Timers timers = new Timers(loop, (name, task) -> {
        try {
            task.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    });

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aRunTheLoopWasTooBusyForIsNotMadeUp() throws InterruptedException {
        long periodMicros = 10_000;
        List<long[]> runs = new CopyOnWriteArrayList<>(); // start and end of each run, in nanoseconds
        CountDownLatch three = new CountDownLatch(3);
        long[] id = new long[1];
        loop.submit(() -> id[0] = timers.add(periodMicros, () -> {
            long start = System.nanoTime();
            if (runs.isEmpty()) {
                while (System.nanoTime() - start < TimeUnit.MICROSECONDS.toNanos(periodMicros * 5)) {
                    Thread.onSpinWait(); // the loop blocked for five periods
                }
            }
            runs.add(new long[] {start, System.nanoTime()});
            three.countDown();
        }, true));
        assertTrue(three.await(20, TimeUnit.SECONDS));
        loop.submit(() -> timers.del(id[0])).sync();
        long gap = runs.get(1)[0] - runs.get(0)[1];
        assertTrue(gap >= TimeUnit.MICROSECONDS.toNanos(periodMicros / 2),
                "the run after the blocked one waited for its time, not at once: " + TimeUnit.NANOSECONDS.toMicros(gap) + " us");
    }

    /**
     * Added from another thread, a timer's task may run on the loop before {@code add} returned;
     * this loop runs the first task it is given at once, in the caller, to make that happen each time.
     */
    private static final class EagerLoop extends DefaultEventLoop {
        final AtomicBoolean eager = new AtomicBoolean(true);

        @Override
        public io.netty.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (eager.getAndSet(false)) {
                command.run();
                return super.schedule(() -> { }, 0, unit);
            }
            return super.schedule(command, delay, unit);
        }
    }

    @Test
    void aTimerWhoseTaskRanBeforeAddReturnedIsCountedRightAndRepeats() throws Exception {
        EagerLoop eager = new EagerLoop();
        try {
            Timers early = new Timers(eager, (name, task) -> {
                try {
                    task.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            AtomicInteger ran = new AtomicInteger();
            early.add(1, ran::incrementAndGet, false);
            assertEquals(1, ran.get());
            assertEquals(0, early.count(), "the one-shot timer that ran is gone, not counted for ever");
            eager.eager.set(true);
            CountDownLatch twice = new CountDownLatch(2);
            long id = early.add(1_000, twice::countDown, true);
            assertTrue(twice.await(10, TimeUnit.SECONDS), "it repeats after a first run that came before add returned");
            assertEquals(1, early.count());
            assertTrue(early.del(id));
            assertEquals(0, early.count());
        } finally {
            eager.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTimerDeletedByItsOwnTaskRunsNoMore() throws Exception {
        List<Boolean> deleted = new CopyOnWriteArrayList<>();
        long[] id = new long[1];
        CountDownLatch ran = new CountDownLatch(1);
        loop.submit(() -> id[0] = timers.add(1_000, () -> {
            deleted.add(timers.del(id[0]));
            ran.countDown();
        }, true)).sync();
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        // A one-shot timer scheduled after it runs after it: by then it would have run again.
        CountDownLatch later = new CountDownLatch(1);
        loop.submit(() -> timers.add(20_000, later::countDown, false)).sync();
        assertTrue(later.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(true), deleted);
        assertEquals(0, loop.submit(timers::count).get());
        assertFalse(loop.submit(() -> timers.del(id[0])).get(), "gone");
    }
}
