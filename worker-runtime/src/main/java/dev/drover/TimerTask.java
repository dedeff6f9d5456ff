package dev.drover;

/** What a {@link Timer} runs on the worker's event loop; it may throw any exception. */
@FunctionalInterface
public interface TimerTask {
    void run() throws Exception;
}
