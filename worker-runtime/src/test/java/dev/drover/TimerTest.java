package dev.drover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What Timer takes as an interval, checked before it needs a worker. */
class TimerTest {

    @Test
    void aOneShotTimerMayWaitNoTimeARepeatingOneMayNot() {
        IllegalStateException noWorker = assertThrows(IllegalStateException.class, () -> Timer.once(0, () -> { }),
                "0 s is taken for a timer that runs once (as Workerman's next tick); only the missing worker refuses it here");
        assertTrue(noWorker.getMessage().startsWith("not in a drover worker process"), noWorker.getMessage());
        IllegalArgumentException spin = assertThrows(IllegalArgumentException.class, () -> Timer.add(0, () -> { }));
        assertEquals("timer interval must be positive (a repeating timer of 0 s would spin the event loop), was 0.0", spin.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Timer.once(-1, () -> { }));
        assertEquals("timer interval must be 0 or more, was -1.0", negative.getMessage());
    }
}
