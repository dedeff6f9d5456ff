package dev.drover.master;

/** What drover's commands exit with (see the README's table). */
public final class ExitCodes {
    private ExitCodes() {}

    /** Done; for {@code status}: running. */
    public static final int OK = 0;
    /** Failed, including {@code start} while already running. */
    public static final int FAILED = 1;
    /** Usage error. */
    public static final int USAGE = 2;
    /** No master runs (a stale pid file is reported and cleaned). */
    public static final int NOT_RUNNING = 3;
}
