package dev.drover.master.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void namesAndNumbersAreLinuxs() {
        assertEquals(1, Signals.number("HUP"));
        assertEquals(9, Signals.number("KILL"));
        assertEquals(10, Signals.number("USR1"));
        assertEquals(12, Signals.number("USR2"));
        assertEquals(15, Signals.number("TERM"));
        assertEquals(17, Signals.number("CHLD"));
        assertEquals(28, Signals.number("WINCH"));
        assertEquals(31, Signals.number("SYS"));
        assertEquals(6, Signals.number("IOT"), "an alias");
        for (int number = 1; number <= 31; number++) {
            assertEquals(number, Signals.number(Signals.name(number).substring("SIG".length())));
        }
        assertEquals("SIGKILL", Signals.name(9));
        assertEquals("signal 40", Signals.name(40));
        assertEquals("signal 0", Signals.name(0));
        assertThrows(IllegalArgumentException.class, () -> Signals.number("NOPE"));
    }
}
