package dev.drover.master;

/** A polling loop's wait, where there is no descriptor to wait on (another process's exit, a dump's end). */
final class Pause {
    private Pause() {
    }

    /** Sleeps {@code millis}; false when interrupted (the flag set again), so that the caller can stop polling. */
    static boolean millis(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
