package dev.drover.master.os;

import jnr.constants.platform.Signal;

/** Signal numbers and names of the running platform (they differ between architectures). */
public final class Signals {
    private Signals() {}

    /** The number of a signal named without its {@code SIG} prefix, e.g. {@code "TERM"}. */
    public static int number(String name) {
        Signal signal = Signal.valueOf("SIG" + name);
        if (!signal.defined()) {
            throw new IllegalArgumentException("unknown signal: " + name);
        }
        return signal.intValue();
    }

    /** {@code SIGKILL} for 9, or {@code signal 40} for a number without a name. */
    public static String name(int number) {
        Signal signal = Signal.valueOf(number);
        return signal.defined() ? signal.name() : "signal " + number;
    }
}
