package dev.drover.master;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One reload in progress: the slots whose reloadable workers are still to be replaced, strictly
 * one at a time (the old lends the master the listeners it bound itself, retires and serves on;
 * once it says so, or exited, start the new, which takes those listeners; once the new is READY,
 * stop the old, which stops accepting and lets its connections go over a second; next; should the
 * new fail, the old serves on as it was and the reload ends there). The reload is done when every
 * replacement is READY and every old worker has exited.
 */
final class Reload {
    final boolean graceful;
    /** Workers replaced for maxRequests or maxMemory, not a reload anybody asked for: a reload command takes it over. */
    final boolean recycle;
    final Deque<Slot> pending;
    final List<Reply> waiters = new ArrayList<>();
    /** Old workers whose replacement started, serving on or finishing their connections. */
    final List<WorkerProcess> draining = new ArrayList<>();
    Slot current;
    int replaced;
    /** When (System.nanoTime) its waiters are next told which old workers it still waits for. */
    long nextProgressNanos = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);

    Reload(boolean graceful, List<Slot> slots) {
        this(graceful, slots, false);
    }

    private Reload(boolean graceful, List<Slot> slots, boolean recycle) {
        this.graceful = graceful;
        this.pending = new ArrayDeque<>(slots);
        this.recycle = recycle;
    }

    /** A graceful replacement of worn workers' slots, one at a time. */
    static Reload recycling(List<Slot> slots) {
        return new Reload(true, slots, true);
    }

    String progress() {
        return replaced + " of " + (replaced + pending.size() + (current != null ? 1 : 0)) + " workers replaced";
    }
}
