package dev.drover.master;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The application as the master sees it: its groups and the global settings of {@code Worker}.
 *
 * @param name the application's name, the main class's simple name (used in messages and file names)
 * @param groups the worker groups in creation order
 * @param pidFile the pid file, or null for {@code <working dir>/<name>.pid}
 * @param logFile the log file, or null for {@code <working dir>/<name>.log}
 * @param stdoutFile where a daemon's stdout and stderr go
 * @param stopTimeout how long workers get to exit on stop before SIGKILL
 */
public record AppSpec(String name, List<GroupSpec> groups, Path pidFile, Path logFile, Path stdoutFile,
                      Duration stopTimeout) {
    public AppSpec {
        groups = List.copyOf(groups);
    }

    public AppSpec withPidFile(Path path) {
        return new AppSpec(name, groups, path, logFile, stdoutFile, stopTimeout);
    }

    public Path pidFileOrDefault() {
        return pidFile != null ? pidFile.toAbsolutePath() : Path.of(System.getProperty("user.dir"), name + ".pid");
    }

    public Path logFileOrDefault() {
        return logFile != null ? logFile.toAbsolutePath() : Path.of(System.getProperty("user.dir"), name + ".log");
    }
}
