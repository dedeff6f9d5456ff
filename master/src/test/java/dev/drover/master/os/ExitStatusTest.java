package dev.drover.master.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExitStatusTest {

    @Test
    void aCrashIsASignalTheProcessRaisedOnItsOwnFault() {
        ExitStatus aborted = ExitStatus.fromWaitStatus(6); // a JVM's fatal error ends in abort()
        assertTrue(aborted.killedBySignal() && aborted.crashed());
        assertEquals("6 (SIGABRT)", aborted.toString());
        assertTrue(ExitStatus.fromWaitStatus(11 | 0x80).crashed(), "SIGSEGV, with a core dump");
        assertFalse(ExitStatus.fromWaitStatus(9).crashed(), "SIGKILL is sent");
        assertFalse(ExitStatus.fromWaitStatus(15).crashed(), "SIGTERM is sent");
        assertFalse(ExitStatus.fromWaitStatus(250 << 8).crashed(), "an exit");
    }
}
