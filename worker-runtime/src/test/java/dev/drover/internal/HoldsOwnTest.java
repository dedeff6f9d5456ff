package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HoldsOwnTest {

    @Test
    void readsTheParentTheKernelNames() {
        assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), HoldsOwn.parentPid());
    }

    @Test
    void onlyTheParentsOwnPidCounts() {
        assertTrue(HoldsOwn.ofParent("4242", 4242));
        assertFalse(HoldsOwn.ofParent("4242", 4243), "a variable handed down from a grandparent");
        assertFalse(HoldsOwn.ofParent(null, 4242), "an older master sets none");
        assertFalse(HoldsOwn.ofParent("-1", -1), "an unreadable parent");
        assertFalse(HoldsOwn.ofParent("04242", 4242));
    }
}
