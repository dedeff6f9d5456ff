package dev.drover.internal.channel;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A GlobalData backend: each command answers a string (null for none), on a thread of its own. */
public interface Store {
    CompletableFuture<String> call(StoreOp op, List<String> arguments);

    /**
     * The caller stopped waiting for {@code reply} (its timeout): a connection that leaves a command
     * unanswered that long is taken for broken (a half-open one after a network partition would
     * time every later command out too), unless the backend bounds its own waits.
     */
    default void gaveUp(CompletableFuture<String> reply) {}
}
