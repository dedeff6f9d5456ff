package dev.drover;

import dev.drover.internal.WorkerRuntime;

/**
 * Workerman's timers: tasks on the worker's event loop, so they never run at the same time as a
 * callback. They work in worker processes (from {@code onWorkerStart} on); an exception escaping a
 * task ends the worker with status 250, as one escaping a callback does.
 */
public final class Timer {
    private Timer() {}

    /**
     * Runs {@code task} every {@code seconds} (fractions allowed, down to a microsecond); returns
     * the timer's id. A run the event loop was too busy for is not made up: after a callback that
     * blocked for several intervals the task runs once, then an interval later.
     */
    public static long add(double seconds, TimerTask task) {
        return add(seconds, task, true);
    }

    /**
     * Runs {@code task} after {@code seconds}, then again every {@code seconds} if {@code persistent}.
     * A timer that runs once may wait 0 s (as in Workerman): it runs once the current callback returned.
     */
    public static long add(double seconds, TimerTask task, boolean persistent) {
        if (!(seconds > 0) && !(seconds == 0 && !persistent)) {
            throw new IllegalArgumentException("timer interval must be " + (persistent ? "positive (a repeating timer of 0 s would"
                    + " spin the event loop)" : "0 or more") + ", was " + seconds);
        }
        return WorkerRuntime.current().timers().add(Math.max(1, Math.round(seconds * 1_000_000)), task, persistent);
    }

    /** Runs {@code task} once, after {@code seconds} (0: once the current callback returned). */
    public static long once(double seconds, TimerTask task) {
        return add(seconds, task, false);
    }

    /** Cancels a timer; false when no such timer runs. */
    public static boolean del(long id) {
        return WorkerRuntime.current().timers().del(id);
    }

    /** Cancels every timer of this process. */
    public static void delAll() {
        WorkerRuntime.current().timers().delAll();
    }

    /** How many timers this process runs. */
    public static int count() {
        return WorkerRuntime.current().timers().count();
    }
}
