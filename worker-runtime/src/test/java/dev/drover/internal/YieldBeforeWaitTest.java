package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** The loop's wait: a yield before sleeping, backing off while yields find nothing ready. */
class YieldBeforeWaitTest {
    private int yields;
    private int looks;
    private final Deque<Integer> readyCounts = new ArrayDeque<>();
    private final IntSupplier selectNow = () -> {
        looks++;
        return readyCounts.isEmpty() ? 0 : readyCounts.poll();
    };
    private final YieldBeforeWait strategy = YieldBeforeWait.withYield(() -> yields++);

    @Test
    void aLoopWithTasksLooksWithoutYielding() throws Exception {
        readyCounts.add(3);
        assertEquals(3, strategy.calculateStrategy(selectNow, true));
        assertEquals(0, strategy.calculateStrategy(selectNow, true));
        assertEquals(0, yields);
    }

    @Test
    void connectionsReadyAfterTheYieldAreServedWithoutASleep() throws Exception {
        readyCounts.add(5);
        assertEquals(5, strategy.calculateStrategy(selectNow, false));
        assertEquals(1, yields);
    }

    @Test
    void missesDoubleTheWaitsThatSleepAtOnce() throws Exception {
        assertEquals("Y.Y..Y....Y........Y", waits(20), "Y: yielded, then slept; .: slept at once");
    }

    @Test
    void theWaitsThatSleepAtOnceStopAtTheMost() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (int skipped = 1; skipped < YieldBeforeWait.MAX_SKIPPED; skipped *= 2) {
            expected.append('Y').append(".".repeat(skipped));
        }
        expected.append(("Y" + ".".repeat(YieldBeforeWait.MAX_SKIPPED)).repeat(3));
        assertEquals(expected.toString(), waits(expected.length()));
    }

    @Test
    void aWaitThatSleepsAtOnceDoesNotLookFirst() throws Exception {
        waits(4);
        assertEquals(2, looks, "Y.Y.: one look after each yield");
    }

    @Test
    void turnsWithTasksLeaveTheBackOffAsItWas() throws Exception {
        assertEquals("Y.Y", waits(3));
        strategy.calculateStrategy(selectNow, true);
        strategy.calculateStrategy(selectNow, true);
        assertEquals("..Y", waits(3));
    }

    @Test
    void aYieldThatFindsConnectionsStartsOver() throws Exception {
        assertEquals("Y.Y..Y....", waits(10));
        readyCounts.add(2);
        assertEquals(2, strategy.calculateStrategy(selectNow, false), "the yield after those found two connections");
        assertEquals("Y.Y..Y", waits(6));
    }

    /** {@code count} waits with nothing ready: Y for one that yielded before it slept, . for one that slept at once. */
    private String waits(int count) throws Exception {
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int before = yields;
            int looked = looks;
            assertEquals(SelectStrategy.SELECT, strategy.calculateStrategy(selectNow, false));
            assertEquals(yields - before, looks - looked, "a look after a yield, none without");
            pattern.append(yields > before ? 'Y' : '.');
        }
        return pattern.toString();
    }
}
