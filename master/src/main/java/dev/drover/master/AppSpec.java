package dev.drover.master;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The application as the master sees it: its groups, the global settings of {@code Worker}, and its
 * master-side hooks.
 *
 * @param name the application's name, the main class's simple name (used in messages and file names)
 * @param groups the worker groups in creation order
 * @param pidFile the pid file, or null for {@code <working dir>/<name>.pid}
 * @param logFile the log file, or null for {@code <working dir>/<name>.log}
 * @param logFileMaxSize the log's size in bytes at which it rotates to {@code <log>.1}
 * @param stdoutFile where a daemon's stdout and stderr go, or null for /dev/null
 * @param stopTimeout how long workers get to exit on stop before SIGKILL
 * @param gracefulTimeout how long a graceful stop or reload waits for connections, or null: no limit
 * @param hooks the master-side callbacks, or null for none
 */
public record AppSpec(String name, List<GroupSpec> groups, Path pidFile, Path logFile, long logFileMaxSize, Path stdoutFile,
                      Duration stopTimeout, Duration gracefulTimeout, MasterHooks hooks) {
    public AppSpec {
        groups = List.copyOf(groups);
    }

    public AppSpec withPidFile(Path path) {
        return new AppSpec(name, groups, path, logFile, logFileMaxSize, stdoutFile, stopTimeout, gracefulTimeout, hooks);
    }

    public Path pidFileOrDefault() {
        return pidFile != null ? pidFile.toAbsolutePath() : Path.of(System.getProperty("user.dir"), name + ".pid");
    }

    /** Where a daemon's stdout and stderr go: the stdout file, or /dev/null. */
    public Path stdoutFileOrDevNull() {
        return stdoutFile != null ? stdoutFile.toAbsolutePath() : Path.of("/dev/null");
    }

    public Path logFileOrDefault() {
        return logFile != null ? logFile.toAbsolutePath() : Path.of(System.getProperty("user.dir"), name + ".log");
    }

    public MasterHooks hooksOrNone() {
        return hooks != null ? hooks : MasterHooks.none(this);
    }
}
