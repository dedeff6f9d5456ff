package dev.drover.master;

import java.time.Duration;

/**
 * Respawn delay of one worker slot. A worker that dies within 10 s of its start before it was
 * ready, or exits by itself, is respawned after 1 s, then 2, 4, ... up to 30 s; 60 s of health
 * resets the delay. A ready worker killed by a signal sent to it (an operator's kill, the OOM
 * killer, a hang's) is replaced at once; one that crashed (a JVM's fatal error aborts it) counts as
 * exiting by itself, so a crash loop backs off and does not write an hs_err file a second.
 */
final class Backoff {
    static final Duration QUICK_DEATH = Duration.ofSeconds(10);
    static final Duration HEALTHY = Duration.ofSeconds(60);
    static final Duration MAX = Duration.ofSeconds(30);

    private int failures;

    /** The delay before the next spawn, given how the last worker lived and ended. */
    Duration next(Duration lived, boolean wasReady, boolean killedBySignal) {
        if (lived.compareTo(HEALTHY) >= 0) {
            failures = 0;
        }
        boolean counts = !wasReady || !killedBySignal;
        if (!counts || lived.compareTo(QUICK_DEATH) >= 0) {
            return Duration.ZERO;
        }
        Duration delay = Duration.ofSeconds(1L << Math.min(failures, 5));
        failures++;
        return delay.compareTo(MAX) > 0 ? MAX : delay;
    }
}
