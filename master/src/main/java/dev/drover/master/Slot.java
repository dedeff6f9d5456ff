package dev.drover.master;

/** A place for worker {@code id} of a group: the live process in it, if any, and its respawn state. */
final class Slot {
    final GroupSpec group;
    final int id;
    final Backoff backoff = new Backoff();
    WorkerProcess process;
    long notBeforeNanos;

    Slot(GroupSpec group, int id) {
        this.group = group;
        this.id = id;
    }
}
