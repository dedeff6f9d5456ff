package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.master.Listeners;
import dev.drover.master.os.Os;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two workers' views of one balance page, on a clock the test moves. */
class AcceptBalanceTest {
    private final long[] now = {TimeUnit.SECONDS.toNanos(1000)};
    private final ByteBuffer page = ByteBuffer.allocateDirect(3 * Listeners.BALANCE_SLOT_BYTES);
    private final AcceptBalance mine = new AcceptBalance(page, 0, () -> now[0]);
    private final AcceptBalance sibling = new AcceptBalance(page, 1, () -> now[0]);

    @Test
    void aWorkerWithinTheSlackOfItsSiblingTakesMore() {
        bothAwake();
        open(mine, AcceptBalance.SLACK);
        assertTrue(mine.mayTakeMore());
    }

    @Test
    void aWorkerPastTheSlackLeavesTheRestToItsSibling() {
        bothAwake();
        open(mine, AcceptBalance.SLACK + 1);
        assertFalse(mine.mayTakeMore());
        assertTrue(sibling.mayTakeMore());
        sibling.opened();
        assertTrue(mine.mayTakeMore(), "one connection more on the sibling brings the two within the slack");
    }

    @Test
    void connectionsThatCloseCountOut() {
        bothAwake();
        open(mine, AcceptBalance.SLACK + 1);
        mine.closed();
        assertTrue(mine.mayTakeMore());
    }

    @Test
    void aSiblingWhoseAcceptorHasNotRunForAWhileIsNotWaitedFor() {
        bothAwake();
        open(mine, AcceptBalance.SLACK + 1);
        now[0] += AcceptBalance.LIVE_NANOS;
        assertTrue(mine.mayTakeMore(), "a sibling stopped, hung or gone takes no connections");
        sibling.awake();
        assertFalse(mine.mayTakeMore(), "its acceptor ran again");
    }

    @Test
    void aSiblingIdleUntilABurstIsWaitedForFromTheBurstsStart() {
        bothAwake();
        open(mine, AcceptBalance.SLACK + 1);
        now[0] += TimeUnit.SECONDS.toNanos(5); // both idle since
        mine.awake();
        assertFalse(mine.mayTakeMore(), "its sibling was woken for the same connections");
        assertTrue(mine.yielded());
        now[0] += AcceptBalance.LIVE_NANOS - 1;
        assertFalse(mine.mayResume());
        now[0] += 1;
        assertTrue(mine.mayResume(), "a sibling that has not run since the burst began is not waited for longer");
        mine.awake();
        assertTrue(mine.mayTakeMore(), "resuming goes on with the same burst");
    }

    @Test
    void aSiblingThatLeftOrNeverRanItsAcceptorIsNotWaitedFor() {
        mine.awake();
        open(mine, AcceptBalance.SLACK + 1);
        assertTrue(mine.mayTakeMore(), "its acceptor never ran");
        sibling.awake();
        assertFalse(mine.mayTakeMore());
        sibling.leave();
        assertTrue(mine.mayTakeMore(), "left");
        sibling.opened();
        sibling.awake();
        assertTrue(mine.mayTakeMore(), "a worker that left writes nothing more: its replacement has the slot");
    }

    @Test
    void aReplacementCountsFromNoneWhateverItsPredecessorLeft() {
        bothAwake();
        open(sibling, 50);
        AcceptBalance replacement = new AcceptBalance(page, 1, () -> now[0]);
        replacement.awake();
        open(mine, AcceptBalance.SLACK + 1);
        assertFalse(mine.mayTakeMore());
    }

    @Test
    void aWorkerThatYieldedResumesOnceItsSiblingCaughtUp() {
        bothAwake();
        open(mine, AcceptBalance.SLACK + 2);
        assertTrue(mine.mayResume() == mine.mayTakeMore());
        assertTrue(mine.yielded(), "it left connections to its sibling");
        assertFalse(mine.yielded(), "once");
        assertFalse(mine.mayResume());
        sibling.opened();
        assertFalse(mine.mayResume());
        sibling.opened();
        assertTrue(mine.mayResume());
        assertFalse(mine.yielded(), "asking whether it may resume is not yielding");
    }

    @Test
    void aWorkerThatYieldedResumesOnceItsSiblingStoppedTaking() {
        bothAwake();
        open(mine, AcceptBalance.SLACK + 1);
        assertFalse(mine.mayTakeMore());
        now[0] += AcceptBalance.LIVE_NANOS;
        assertTrue(mine.mayResume(), "a sibling whose acceptor has not run since does not hold it back");
    }

    @Test
    void aWorkerAloneAlwaysTakesMore() {
        AcceptBalance alone = new AcceptBalance(null, 0);
        open(alone, 100);
        assertTrue(alone.mayTakeMore());
    }

    /** A worker {@code scale} added, past the group's count, claims its slot as it maps the page; the claim only grows. */
    @Test
    void aWorkerAddedPastTheCountIsWaitedForOnceItsAcceptorRan() {
        ByteBuffer grown = ByteBuffer.allocateDirect(Listeners.balanceBytes(1));
        AcceptBalance first = new AcceptBalance(grown, 0, () -> now[0]);
        first.awake();
        open(first, AcceptBalance.SLACK + 1);
        assertTrue(first.mayTakeMore(), "alone");
        AcceptBalance added = new AcceptBalance(grown, 40, () -> now[0]);
        new AcceptBalance(grown, 2, () -> now[0]);
        assertTrue(first.mayTakeMore(), "neither acceptor ran yet");
        added.awake();
        assertFalse(first.mayTakeMore(), "worker 40's acceptor ran, and worker 2's claim did not lower worker 40's");
    }

    @Test
    void aPageHasRoomForAGroupScaledPastItsCount() {
        assertTrue(Listeners.balanceBytes(1) >= (1 + Listeners.BALANCE_MIN_WORKERS) * Listeners.BALANCE_SLOT_BYTES);
        assertTrue(Listeners.balanceBytes(5000) >= (1 + 10_000) * Listeners.BALANCE_SLOT_BYTES, "twice a large count");
        assertTrue(Listeners.balanceBytes(Integer.MAX_VALUE) > 0, "no overflow");
    }

    @Test
    void aSlotPastThePageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AcceptBalance(page, 2));
    }

    /** The master's memory file, mapped by two workers as their acceptors first run: what one publishes the other reads. */
    @Test
    void workersMappingTheMastersPageShareIt() {
        Os os = Os.linux();
        int fd = os.sharedMemory("drover-balance-test", 3 * Listeners.BALANCE_SLOT_BYTES);
        AcceptBalance first = AcceptBalance.open(os.duplicate(fd), 0);
        AcceptBalance second = AcceptBalance.open(fd, 1);
        assertTrue(first.mayTakeMore(), "nothing mapped yet: no sibling to wait for");
        first.awake();
        second.awake();
        open(first, AcceptBalance.SLACK + 1);
        assertFalse(first.mayTakeMore());
        assertTrue(second.mayTakeMore());
    }

    @Test
    void aSlotPastTheMastersPageIsRefused() {
        Os os = Os.linux();
        int fd = os.sharedMemory("drover-balance-test", 3 * Listeners.BALANCE_SLOT_BYTES);
        assertThrows(IllegalArgumentException.class, () -> AcceptBalance.open(fd, 2));
    }

    /** Both acceptors ran. */
    private void bothAwake() {
        mine.awake();
        sibling.awake();
    }

    private static void open(AcceptBalance balance, int connections) {
        for (int i = 0; i < connections; i++) {
            balance.opened();
        }
    }
}
