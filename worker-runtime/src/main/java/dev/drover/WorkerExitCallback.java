package dev.drover;

/**
 * {@code onWorkerExit}, in the master: a worker process of this Worker ended. {@code status} is
 * its exit code, or the number of the signal that killed it (as the log shows it).
 */
@FunctionalInterface
public interface WorkerExitCallback {
    void call(Worker worker, int pid, int status) throws Exception;
}
