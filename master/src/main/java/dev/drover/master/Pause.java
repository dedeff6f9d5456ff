package dev.drover.master;

import dev.drover.master.os.ExitStatus;
import dev.drover.master.os.Os;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** A polling loop's wait, where there is no descriptor to wait on (another process's exit, a dump's end). */
final class Pause {
    private Pause() {
    }

    /**
     * Asks {@code done} every {@code everyMillis} until it holds; false when {@code patience} ran out
     * first. An interrupt ends the wait as if it held (the flag set again, for the caller to see).
     */
    static boolean until(BooleanSupplier done, Duration patience, long everyMillis) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            if (!millis(everyMillis)) {
                return true;
            }
        }
        return true;
    }

    /** How child {@code pid} ended, reaped within {@code patience}; empty while it runs on. */
    static Optional<ExitStatus> reap(Os os, int pid, Duration patience) {
        AtomicReference<Optional<ExitStatus>> status = new AtomicReference<>(Optional.empty());
        until(() -> status.updateAndGet(none -> os.reap(pid)).isPresent(), patience, 1);
        return status.get();
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
