package dev.drover;

/** A callback about a worker ({@code onWorkerStart}); it may throw any exception. */
@FunctionalInterface
public interface WorkerCallback {
    void call(Worker worker) throws Exception;
}
