package dev.drover.master;

import dev.drover.master.os.Os;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds the ready workers the master must replace on its own (see {@link WorkerLimits}): hung, their
 * event loop silent for longer than their group's hangTimeout, or worn, their RSS past maxMemory
 * (read from /proc once a second). A worker a reload retired serves on until its replacement is
 * ready, and is watched for hangs too: a hung one never says it is draining, and the reload would
 * wait for it forever.
 */
final class WorkerHealth {
    private static final long SECOND = 1_000_000_000L;

    private final Os os;
    private long nextMemoryCheck;

    WorkerHealth(Os os) {
        this.os = os;
    }

    /** The ready or retired workers whose last heartbeat is older than their hangTimeout, not yet killed. */
    List<WorkerProcess> hung(Collection<WorkerProcess> live, long now) {
        List<WorkerProcess> hung = new ArrayList<>();
        for (WorkerProcess worker : live) {
            if (hangWatched(worker) && hangTimeoutNanos(worker) > 0 && now - hangDeadline(worker) >= 0) {
                hung.add(worker);
            }
        }
        return hung;
    }

    /** The ready workers past their maxMemory, with their RSS; checked at most once a second. */
    List<Worn> overMemory(Collection<WorkerProcess> live, long now) {
        List<Worn> worn = new ArrayList<>();
        if (now - nextMemoryCheck < 0) {
            return worn;
        }
        nextMemoryCheck = now + SECOND;
        for (WorkerProcess worker : live) {
            long max = worker.group.limits().maxMemoryBytes();
            if (watched(worker) && !worker.recycling && max > 0) {
                long rss = os.residentBytes(worker.pid);
                if (rss > max) {
                    worn.add(new Worn(worker, rss));
                }
            }
        }
        return worn;
    }

    record Worn(WorkerProcess worker, long rssBytes) {}

    /** When the next check is due: the earliest hang deadline, or the next memory check. */
    long nextDeadline(Collection<WorkerProcess> live, long now) {
        long next = now + SECOND;
        for (WorkerProcess worker : live) {
            if (hangWatched(worker) && hangTimeoutNanos(worker) > 0) {
                next = Math.min(next, hangDeadline(worker));
            }
            if (watched(worker) && worker.group.limits().maxMemoryBytes() > 0) {
                next = Math.min(next, Math.max(now, nextMemoryCheck));
            }
        }
        return next;
    }

    private static long hangTimeoutNanos(WorkerProcess worker) {
        return worker.group.limits().hangTimeout().toNanos();
    }

    /** The first instant at which the worker counts as hung: just past hangTimeout after its last heartbeat. */
    private static long hangDeadline(WorkerProcess worker) {
        return worker.lastBeatNanos + hangTimeoutNanos(worker) + 1;
    }

    /** A ready worker, or one a reload retired that serves on (not leaving on its own, running onWorkerStop), not killed yet. */
    private static boolean hangWatched(WorkerProcess worker) {
        return watched(worker) || worker.retiring && !worker.leaving && worker.killedAtNanos == 0;
    }

    private static boolean watched(WorkerProcess worker) {
        return worker.state() == WorkerProcess.State.READY && worker.killedAtNanos == 0;
    }
}
