package dev.drover.internal.channel;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A GlobalData backend: each command answers a string (null for none), on a thread of its own. */
public interface Store {
    CompletableFuture<String> call(StoreOp op, List<String> arguments);

    /**
     * A caller stopped waiting for {@code reply} after {@code waitedNanos} (its timeout): a
     * connection that answered nothing at all for that long is taken for broken (a half-open one
     * after a network partition would time every later command out too), unless the backend bounds
     * its own waits. One that answered other commands meanwhile is slow, and kept; so is one still
     * within the bound of a command written before this one, which the server answers first (a big
     * set with a long timeout, a get with a short one). Called on the JDK's timeout thread: it must
     * not wait for anything.
     */
    default void gaveUp(CompletableFuture<String> reply, long waitedNanos) {}
}
