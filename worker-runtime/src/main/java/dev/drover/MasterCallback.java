package dev.drover;

/** A callback that runs in the master ({@code onMasterReload}, {@code onMasterStop}); it may throw any exception. */
@FunctionalInterface
public interface MasterCallback {
    void call() throws Exception;
}
