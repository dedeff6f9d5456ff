package dev.drover.it;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs a blocking client call on a thread of its own. (The common pool has one thread on two
 * cores: a request held open by one test would starve every other test's async calls.)
 */
final class Async {
    private Async() {}

    static <T> CompletableFuture<T> call(Supplier<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(call.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-client");
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
