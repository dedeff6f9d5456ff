package dev.drover.master;

import java.util.LinkedHashMap;
import java.util.Map;

/** A place for worker {@code id} of a group: the live process in it, if any, and its respawn state. */
final class Slot {
    final GroupSpec group;
    final int id;
    final Backoff backoff = new Backoff();
    WorkerProcess process;
    long notBeforeNanos;
    /** The pid a reload is replacing in this slot, 0 when none. */
    int replacing;
    /**
     * The master's copies of the listeners the worker a reload replaces lent its replacement, by
     * socket key ({@link ListenAddress#socketKey}): handed to every worker started in this slot
     * until one of them is ready or the old worker takes the slot back, then closed.
     */
    final Map<String, Integer> lent = new LinkedHashMap<>();

    Slot(GroupSpec group, int id) {
        this.group = group;
        this.id = id;
    }
}
