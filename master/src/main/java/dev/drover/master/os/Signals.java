package dev.drover.master.os;

import java.util.List;

/**
 * Signal numbers and names on Linux: x86_64 and arm64 share the generic numbering (1 to 31; the
 * real-time signals above are glibc's business).
 */
public final class Signals {
    private Signals() {}

    /** The names of signals 1 to 31, without their {@code SIG} prefix. */
    private static final List<String> NAMES = List.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
            "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
            "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    /** The number of a signal named without its {@code SIG} prefix, e.g. {@code "TERM"}. */
    public static int number(String name) {
        int index = NAMES.indexOf(switch (name) {
            case "IOT" -> "ABRT";
            case "POLL" -> "IO";
            case "CLD" -> "CHLD";
            default -> name;
        });
        if (index < 0) {
            throw new IllegalArgumentException("unknown signal: " + name);
        }
        return index + 1;
    }

    /** {@code SIGKILL} for 9, or {@code signal 40} for a number without a name. */
    public static String name(int number) {
        return number >= 1 && number <= NAMES.size() ? "SIG" + NAMES.get(number - 1) : "signal " + number;
    }
}
