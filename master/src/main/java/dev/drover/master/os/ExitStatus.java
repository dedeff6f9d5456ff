package dev.drover.master.os;

/**
 * How a child process ended, decoded from a {@code waitpid} status word.
 *
 * @param code the exit code when the process exited, otherwise -1
 * @param signal the signal that killed it, otherwise 0
 */
public record ExitStatus(int code, int signal) {
    private static final java.util.Set<String> CRASH_SIGNALS = java.util.Set.of("SIGABRT", "SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE");

    /** Decodes a raw {@code waitpid} status word (the layout is the same on every Linux). */
    public static ExitStatus fromWaitStatus(int status) {
        int termsig = status & 0x7f;
        return termsig == 0 ? new ExitStatus((status >> 8) & 0xff, 0) : new ExitStatus(-1, termsig);
    }

    public boolean killedBySignal() {
        return signal != 0;
    }

    /**
     * Whether it crashed: killed by a signal a process raises on its own fault (SIGABRT, a JVM's
     * fatal error; SIGSEGV, SIGBUS, SIGILL, SIGFPE), not by one sent to it.
     */
    public boolean crashed() {
        return killedBySignal() && CRASH_SIGNALS.contains(Signals.name(signal));
    }

    /**
     * The number Workerman logs: the exit code, or the signal number for a killed process.
     */
    public int number() {
        return killedBySignal() ? signal : code;
    }

    /** {@code 250}, or {@code 9 (SIGKILL)} for a process killed by a signal. */
    @Override
    public String toString() {
        return killedBySignal() ? signal + " (" + Signals.name(signal) + ")" : Integer.toString(code);
    }
}
