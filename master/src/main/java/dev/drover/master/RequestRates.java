package dev.drover.master;

import java.util.HashMap;
import java.util.Map;

/**
 * Each worker's requests per second for {@code status}: its requests since a sample at least
 * {@link #WINDOW_NANOS} old (or its start), over the time since. Samples are not taken per query,
 * so a monitor's status and an operator's {@code status -d} do not skew each other, nor does a
 * second query in the same instant read 0.
 */
final class RequestRates {
    static final long WINDOW_NANOS = 1_000_000_000L;

    /** Per pid: the two latest samples, {older total, older time, newer total, newer time}. */
    private final Map<Integer, long[]> samples = new HashMap<>();

    /** The rate of {@code pid}, which served {@code total} requests by {@code now} and started at {@code started}. */
    double rate(int pid, long total, long now, long started) {
        long[] s = samples.computeIfAbsent(pid, p -> new long[] {0, started, 0, started});
        boolean newerIsOld = now - s[3] >= WINDOW_NANOS;
        long sinceTotal = newerIsOld ? s[2] : s[0];
        long sinceTime = newerIsOld ? s[3] : s[1];
        if (newerIsOld) { // a new sample; the one it measured from is kept for the queries of the next second
            s[0] = s[2];
            s[1] = s[3];
            s[2] = total;
            s[3] = now;
        }
        return Math.max(0, total - sinceTotal) / Math.max(0.001, (now - sinceTime) / 1e9);
    }

    /** A worker that exited: its pid may come back as another's. */
    void forget(int pid) {
        samples.remove(pid);
    }
}
