package dev.drover.master;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A worker group as the master runs it: its spec, its current count, its slots, its exit statistics. */
final class Group {
    final GroupSpec spec;
    final List<Slot> slots = new ArrayList<>();
    /** How often workers of this group exited with each status, as Workerman's status shows. */
    final Map<String, Integer> exitCounts = new TreeMap<>();
    int count;
    /** The count the application last set (Worker.setCount), to tell its changes from TTIN/TTOU. */
    int appCount;

    Group(GroupSpec spec) {
        this.spec = spec;
        this.appCount = spec.count();
        resize(spec.count());
    }

    /** Sets the count; slots beyond it stay until their worker is gone. */
    void resize(int newCount) {
        count = Math.max(1, newCount);
        for (int id = slots.size(); id < count; id++) {
            slots.add(new Slot(spec, id));
        }
    }

    /** Whether a worker should run in this slot now. */
    boolean wanted(Slot slot) {
        return slot.id < count;
    }

    /** Drops the slots beyond the count whose worker is gone; returns them. */
    List<Slot> trim() {
        List<Slot> removed = new ArrayList<>();
        while (slots.size() > count && slots.get(slots.size() - 1).process == null) {
            removed.add(slots.remove(slots.size() - 1));
        }
        return removed;
    }
}
