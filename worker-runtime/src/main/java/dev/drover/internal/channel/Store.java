package dev.drover.internal.channel;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A GlobalData backend: each command answers a string (null for none), on a thread of its own. */
public interface Store {
    CompletableFuture<String> call(StoreOp op, List<String> arguments);
}
