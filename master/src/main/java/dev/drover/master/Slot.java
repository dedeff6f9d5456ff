package dev.drover.master;

/** A place for worker {@code id} of a group: the live process in it, if any, and its respawn state. */
final class Slot {
    final GroupSpec group;
    final int id;
    final Backoff backoff = new Backoff();
    WorkerProcess process;
    long notBeforeNanos;
    /** The pid a reload is replacing in this slot, 0 when none. */
    int replacing;

    Slot(GroupSpec group, int id) {
        this.group = group;
        this.id = id;
    }
}
