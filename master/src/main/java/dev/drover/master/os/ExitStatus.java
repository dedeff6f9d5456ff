package dev.drover.master.os;

/**
 * How a child process ended, decoded from a {@code waitpid} status word.
 *
 * @param code the exit code when the process exited, otherwise -1
 * @param signal the signal that killed it, otherwise 0
 */
public record ExitStatus(int code, int signal) {

    /** Decodes a raw {@code waitpid} status word (the layout is the same on every Linux). */
    public static ExitStatus fromWaitStatus(int status) {
        int termsig = status & 0x7f;
        return termsig == 0 ? new ExitStatus((status >> 8) & 0xff, 0) : new ExitStatus(-1, termsig);
    }

    public boolean killedBySignal() {
        return signal != 0;
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
