package dev.drover.internal;

import dev.drover.Worker;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Worker groups whose process holds what other processes share: the embedded channel and
 * GlobalData server. A restart's new master has them stop accepting ({@link WorkerRuntime}), and a
 * stop asks them last, once the other workers are gone, so that those still reach them in
 * onWorkerStop (the master reads it from the group's spec). A class of its own, so that the
 * master, which reads it, loads no worker runtime.
 */
public final class SharedState {
    private static final Set<Worker> HOLDERS = ConcurrentHashMap.newKeySet();

    private SharedState() {}

    /** Marks {@code listener}'s group as holding state its clients share (ChannelServer's). */
    public static void heldBy(Worker listener) {
        HOLDERS.add(listener);
    }

    public static boolean isHeldBy(Worker listener) {
        return HOLDERS.contains(listener);
    }
}
