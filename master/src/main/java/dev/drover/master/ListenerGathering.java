package dev.drover.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A restart's first step: the ready workers are asked ({@code lend}) for the listeners they bound
 * themselves (a listen() in onWorkerStart without reusePort), which only one process may bind. The
 * successor's workers of the same group and id take them, as a reload's replacement does, while
 * these serve on; without them the successor's workers could not bind those addresses. The
 * successor starts once every asked worker answered ({@code lent}), exited, or {@link #TIMEOUT}
 * passed.
 */
final class ListenerGathering {
    /** How long a restart waits for its workers' answers: a loop busy that long will not take part. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final boolean graceful;
    final Reply reply;
    /** The second try, after a class archive crashed the first successor. */
    final boolean again;
    final long deadlineNanos;
    final Set<WorkerProcess> awaiting = new HashSet<>();
    final List<Handover.Lent> lent = new ArrayList<>();

    /** How many listeners {@code worker} lent so far. */
    long lentBy(WorkerProcess worker) {
        return lent.stream().filter(l -> l.group() == worker.group.index() && l.id() == worker.id).count();
    }

    ListenerGathering(boolean graceful, Reply reply, boolean again, long nowNanos) {
        this.graceful = graceful;
        this.reply = reply;
        this.again = again;
        this.deadlineNanos = nowNanos + TIMEOUT.toNanos();
    }
}
