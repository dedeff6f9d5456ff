package dev.drover.internal;

import java.util.concurrent.TimeUnit;

/**
 * When a retired worker tells each of its connections to end, once its replacement is ready: 2 ms
 * apart, all within the master's spread. Told all at once, a worker's 500 keep-alive clients
 * reconnected within a few milliseconds, and its replacement's JVM, its code not compiled yet, took
 * them in one burst (wrk -c1000 across a reload of two workers: p99.9 over the run 159-265 ms;
 * spread over 1 s: 73-152 ms).
 */
final class DrainPace {
    /** At most this long between two connections' ends: 500 a second, a second for 500. */
    static final long SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private DrainPace() {}

    /** When the {@code index}th of {@code connections} is told to end, from the stop, in nanoseconds: the first at once. */
    static long delayNanos(int index, int connections, long spreadNanos) {
        long spacing = Math.min(SPACING_NANOS, spreadNanos / Math.max(1, connections));
        return index * spacing;
    }
}
