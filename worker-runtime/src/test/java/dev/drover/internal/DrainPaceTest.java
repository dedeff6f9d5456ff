package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrainPaceTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void connectionsEndTwoMillisecondsApartTheFirstAtOnce() {
        assertEquals(0, DrainPace.delayNanos(0, 10, SECOND));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(18), DrainPace.delayNanos(9, 10, SECOND));
    }

    @Test
    void manyConnectionsEndWithinTheSpread() {
        assertEquals(SECOND - SECOND / 5000, DrainPace.delayNanos(4999, 5000, SECOND));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(998), DrainPace.delayNanos(499, 500, SECOND));
    }

    @Test
    void noSpreadEndsThemAllAtOnce() {
        assertEquals(0, DrainPace.delayNanos(499, 500, 0));
    }
}
