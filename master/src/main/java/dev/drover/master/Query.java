package dev.drover.master;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A question the master asked its workers ({@code status} or {@code connections}) and the answers
 * so far. It completes when every worker answered or the deadline passed: a worker that did not
 * answer is busy.
 */
final class Query {
    final String kind;
    final boolean json;
    /** Where the answer goes; null: into the log (SIGIO). */
    final Reply reply;
    final long deadlineNanos;
    final Set<WorkerProcess> awaiting;
    final Map<WorkerProcess, String> answers = new LinkedHashMap<>();

    Query(String kind, boolean json, Reply reply, Collection<WorkerProcess> asked, long deadlineNanos) {
        this.kind = kind;
        this.json = json;
        this.reply = reply;
        this.awaiting = new LinkedHashSet<>(asked);
        this.deadlineNanos = deadlineNanos;
    }

    /** Records a worker's answer; true if this query was waiting for it. */
    boolean answer(WorkerProcess worker, String kindAnswered, String text) {
        if (!kind.equals(kindAnswered) || !awaiting.remove(worker)) {
            return false;
        }
        answers.put(worker, text);
        return true;
    }

    boolean complete(long now) {
        return awaiting.isEmpty() || now - deadlineNanos >= 0;
    }
}
