package dev.drover.master;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;

/**
 * One worker JVM as the master tracks it, from spawn to reap. Its state moves forward,
 * {@code SPAWNED → READY → STOPPING → EXITED} (a worker may also stop or exit before it was ready),
 * but for one step back: a retired worker whose replacement failed is READY again ({@link #resume}).
 */
final class WorkerProcess {
    enum State { SPAWNED, READY, STOPPING, EXITED }

    final GroupSpec group;
    final int id;
    final int pid;
    final long spawnedAtNanos;
    /** The longest control line a worker may send (a connections list of a busy worker is long). */
    static final int MAX_LINE = 64 << 20;
    final LineBuffer lines = new LineBuffer(MAX_LINE);
    private int channelFd;
    private State state = State.SPAWNED;
    private boolean everReady;
    private boolean channelJammed;
    private String failure;
    /** When to SIGKILL a stopping worker (System.nanoTime), 0 for never. */
    long killAtNanos;
    /** When it was sent SIGKILL, 0 before. */
    long killedAtNanos;
    /** Whether the stop was graceful (connections finish). */
    boolean graceful;
    /** Whether a reload replaces it: it serves on until its stop (its replacement's READY), or its resume. */
    boolean retiring;
    /** Whether, retiring, it said it stops on its own (a signal sent to it directly): it is not resumed. */
    boolean leaving;
    /** The socket keys of the listeners it lent (those it bound itself): what it listens on, for its slot's copies. */
    final Set<String> lentKeys = new HashSet<>();
    /** Descriptors it sent that wait for their {@code listener} line. */
    final Queue<Integer> arrivedFds = new ArrayDeque<>();
    /** When its event loop last showed life: READY, then each heartbeat (System.nanoTime). */
    long lastBeatNanos;
    /** Whether it is to be replaced for maxRequests or maxMemory (and why, for the log). */
    boolean recycling;
    String recycleReason;
    /** When to recycle it again (System.nanoTime), its last replacement having failed; 0 for never. */
    long recycleAgainAtNanos;
    /** More control messages than this in a second is a flood: the worker is killed. */
    static final int MAX_MESSAGES_PER_SECOND = 10_000;
    private long floodWindowNanos;
    private int floodCount;

    WorkerProcess(GroupSpec group, int id, int pid, int channelFd, long spawnedAtNanos) {
        this.group = group;
        this.id = id;
        this.pid = pid;
        this.channelFd = channelFd;
        this.spawnedAtNanos = spawnedAtNanos;
    }

    State state() {
        return state;
    }

    void moveTo(State next) {
        boolean legal = switch (next) {
            case SPAWNED -> false;
            case READY -> state == State.SPAWNED;
            case STOPPING -> state == State.SPAWNED || state == State.READY;
            case EXITED -> state != State.EXITED;
        };
        if (!legal) {
            throw new IllegalStateException(this + ": illegal transition " + state + " -> " + next);
        }
        everReady |= next == State.READY;
        state = next;
    }

    /** A retired worker (STOPPING, {@link #retiring}) accepts again: its replacement failed. */
    void resume() {
        if (state != State.STOPPING || !retiring) {
            throw new IllegalStateException(this + ": only a retiring worker resumes, not one " + state);
        }
        state = State.READY;
        retiring = false;
        graceful = false;
        killAtNanos = 0;
    }

    boolean everReady() {
        return everReady;
    }

    /** The control socket, or -1 once the worker closed its end. */
    int channelFd() {
        return channelFd;
    }

    void channelClosed() {
        channelFd = -1;
    }

    /** Whether commands may still be written to the control socket (not after a partial write). */
    boolean commandable() {
        return channelFd >= 0 && !channelJammed;
    }

    /** Part of a command was written and the rest did not fit: the stream is cut mid-message for good. */
    void channelJammed() {
        channelJammed = true;
    }

    /** Counts one control message at {@code now}; true once this second's count passes {@link #MAX_MESSAGES_PER_SECOND}. */
    boolean flooding(long now) {
        if (now - floodWindowNanos > 1_000_000_000L) {
            floodWindowNanos = now;
            floodCount = 0;
        }
        return ++floodCount > MAX_MESSAGES_PER_SECOND;
    }

    /** What the worker said about its failure before it exited, or null. */
    String failure() {
        return failure;
    }

    void failed(String reason) {
        failure = reason;
    }

    /** {@code worker[web:4242]}, as Workerman names a worker in its log. */
    @Override
    public String toString() {
        return "worker[" + group.name() + ":" + pid + "]";
    }
}
