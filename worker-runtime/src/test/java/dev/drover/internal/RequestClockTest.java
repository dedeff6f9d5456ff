package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the sweep decides at each look, with a request timeout of 10 and a keep-alive timeout of 20 (nanoseconds, as read). */
class RequestClockTest {
    private static final long REQUEST = 10;
    private static final long IDLE = 20;

    @Test
    void aHeadMustBeWholeWithinTheTimeoutOfItsFirstSightThoughBytesKeepComing() {
        RequestClock clock = new RequestClock(0, 0, 1);
        assertFalse(clock.expired(5, 3, 1, false, 3, false, REQUEST, IDLE));
        assertFalse(clock.expired(12, 6, 1, false, 6, false, REQUEST, IDLE), "10 since the head was first seen, not more");
        assertTrue(clock.expired(16, 9, 1, false, 9, false, REQUEST, IDLE), "11 since: bytes came, the head is not whole");
    }

    @Test
    void aBodyMayTakeLongerWhilePausesStayShort() {
        RequestClock clock = new RequestClock(0, 0, 0);
        for (long now = 5; now <= 60; now += 5) {
            assertFalse(clock.expired(now, now, 0, false, now, true, REQUEST, IDLE), "at " + now);
        }
        assertTrue(clock.expired(71, 60, 0, false, 60, true, REQUEST, IDLE), "a pause of 11");
    }

    @Test
    void requestsThatComeWholeKeepAPipelinedConnectionGoing() {
        RequestClock clock = new RequestClock(0, 0, 0);
        for (int look = 1; look <= 10; look++) { // at every look part of the next head waits, but requests keep coming whole
            assertFalse(clock.expired(look * 8L, look * 100L, look, false, 7, false, REQUEST, IDLE), "look " + look);
        }
    }

    @Test
    void anIdleConnectionHasItsOwnBoundAndTheApplicationsTurnIsNotTimed() {
        RequestClock clock = new RequestClock(0, 0, 1);
        assertFalse(clock.expired(15, 0, 1, false, 0, false, REQUEST, IDLE));
        assertTrue(clock.expired(21, 0, 1, false, 0, false, REQUEST, IDLE));
        RequestClock owed = new RequestClock(0, 0, 1);
        assertFalse(owed.expired(100, 0, 1, true, 0, false, REQUEST, IDLE), "an answer owed: not timed");
        assertFalse(owed.expired(115, 0, 1, false, 0, false, REQUEST, IDLE), "idle from the last look while it was owed");
        assertTrue(owed.expired(121, 0, 1, false, 0, false, REQUEST, IDLE));
        RequestClock none = new RequestClock(0, 0, 1);
        assertFalse(none.expired(1_000, 0, 1, false, 5, true, 0, 0), "zero: no bound");
    }
}
