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
     * The master's copies of the listeners this slot's workers bound themselves (each lends them as
     * it gets ready), by socket key ({@link ListenAddress#socketKey}): handed to every worker started
     * in this slot, whose listen() takes them; a worker's READY closes those it did not lend.
     */
    final Map<String, Integer> lent = new LinkedHashMap<>();

    Slot(GroupSpec group, int id) {
        this.group = group;
        this.id = id;
    }
}
