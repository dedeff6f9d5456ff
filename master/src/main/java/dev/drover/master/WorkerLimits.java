package dev.drover.master;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the master replaces a worker of a group on its own: hung (no heartbeat from its event loop
 * for {@code hangTimeout}), or worn (it served {@code maxRequests}, or its RSS passed
 * {@code maxMemoryBytes}). Zero disables each.
 *
 * @param hangTimeout how long a ready worker's event loop may stay silent before it is killed (SIGKILL) and replaced
 * @param maxRequests messages a worker serves before it is replaced gracefully
 * @param maxRequestsJitter up to this many more, drawn per worker, so workers started together are not replaced together
 * @param maxMemoryBytes the RSS past which a worker is replaced gracefully
 */
public record WorkerLimits(Duration hangTimeout, long maxRequests, long maxRequestsJitter, long maxMemoryBytes) {
    public static final WorkerLimits DEFAULT = new WorkerLimits(Duration.ofSeconds(30), 0, 0, 0);
    private static final Duration FASTEST_BEAT = Duration.ofMillis(100);
    private static final Duration SLOWEST_BEAT = Duration.ofSeconds(10);

    public WorkerLimits {
        if (hangTimeout.isNegative()) {
            throw new IllegalArgumentException("hangTimeout must not be negative, was " + hangTimeout);
        }
        if (maxRequests < 0 || maxRequestsJitter < 0 || maxMemoryBytes < 0) {
            throw new IllegalArgumentException("maxRequests, maxRequestsJitter and maxMemory must not be negative, were "
                    + maxRequests + ", " + maxRequestsJitter + ", " + maxMemoryBytes);
        }
    }

    public WorkerLimits withHangTimeout(Duration timeout) {
        return new WorkerLimits(timeout, maxRequests, maxRequestsJitter, maxMemoryBytes);
    }

    public WorkerLimits withMaxRequests(long max, long jitter) {
        return new WorkerLimits(hangTimeout, max, jitter, maxMemoryBytes);
    }

    public WorkerLimits withMaxMemory(long bytes) {
        return new WorkerLimits(hangTimeout, maxRequests, maxRequestsJitter, bytes);
    }

    /** How often a worker's event loop beats: three beats per hangTimeout, within 100 ms..10 s; zero for none. */
    public Duration heartbeat() {
        if (hangTimeout.isZero()) {
            return Duration.ZERO;
        }
        Duration third = hangTimeout.dividedBy(3);
        return third.compareTo(FASTEST_BEAT) < 0 ? FASTEST_BEAT : third.compareTo(SLOWEST_BEAT) > 0 ? SLOWEST_BEAT : third;
    }

    /** One worker's request limit: maxRequests plus its draw of the jitter; zero for none. */
    public long drawMaxRequests() {
        return maxRequests == 0 ? 0 : maxRequests + ThreadLocalRandom.current().nextLong(maxRequestsJitter + 1);
    }
}
