package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void backoffDoublesForQuickDeathsAndSparesKilledReadyWorkers() {
        Backoff backoff = new Backoff();
        java.time.Duration quick = java.time.Duration.ofSeconds(1);
        assertEquals(0, backoff.next(quick, true, true).toSeconds(), "killed after ready: at once");
        assertEquals(1, backoff.next(quick, false, false).toSeconds());
        assertEquals(2, backoff.next(quick, true, false).toSeconds());
        assertEquals(4, backoff.next(quick, false, true).toSeconds());
        for (int i = 0; i < 10; i++) {
            backoff.next(quick, false, false);
        }
        assertEquals(30, backoff.next(quick, false, false).toSeconds(), "capped at 30 s");
        assertEquals(0, backoff.next(java.time.Duration.ofSeconds(61), true, false).toSeconds(), "healthy for a minute");
        assertEquals(1, backoff.next(quick, false, false).toSeconds(), "and the delay starts over");
    }
}
