package dev.drover.master;

import dev.drover.master.os.ExitStatus;
import dev.drover.master.os.Os;
import dev.drover.master.os.Signals;
import dev.drover.master.os.SpawnRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Why a worker JVM would not start, as the JVM says it when started with the group's options and
 * {@code -version}: asked when a worker ended with status 1 before its code said a word, its own
 * words having gone to the stdout file (nowhere, for a daemon without one). Options that would act
 * beside the running workers (agents, log files, recordings, pre-touched memory) are left out.
 */
final class JvmCheck {
    /** How long the JVM may take to say it; it is killed then. */
    static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final List<String> SIDE_EFFECTS = List.of("-javaagent:", "-agentlib:", "-agentpath:", "-Xlog", "-XX:StartFlightRecording",
            "-XX:FlightRecorderOptions", "-XX:+AlwaysPreTouch", "-XX:+HeapDumpOnOutOfMemoryError", "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit");

    /** The check's process. */
    final int pid;
    /** The worker it explains, as the log names it. */
    final String worker;
    final long deadlineNanos;
    private final Path out;
    private boolean killed;

    private JvmCheck(int pid, String worker, Path out) {
        this.pid = pid;
        this.worker = worker;
        this.out = out;
        this.deadlineNanos = System.nanoTime() + PATIENCE.toNanos();
    }

    /** Starts {@code java} with {@code options} and {@code -version}; empty when it cannot be started. */
    static Optional<JvmCheck> start(Os os, String java, List<String> options, Map<String, String> env, String worker) {
        Path out = null;
        try {
            out = Files.createTempFile("drover-jvm-check", ".out");
            List<String> argv = new ArrayList<>(List.of("java"));
            options.stream().filter(option -> SIDE_EFFECTS.stream().noneMatch(option::startsWith)).forEach(argv::add);
            argv.add("-version");
            return Optional.of(new JvmCheck(os.spawn(new SpawnRequest(java, argv, env, List.of(), out, false)), worker, out));
        } catch (IOException | RuntimeException cannot) {
            delete(out);
            return Optional.empty();
        }
    }

    /**
     * Whether this process's working directory, which its JVMs start in, was deleted: the JVM then
     * refuses to start ("Could not determine current working directory"), whatever its options.
     */
    static boolean workingDirectoryGone() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/cwd")).toString().endsWith(" (deleted)");
        } catch (IOException | UnsupportedOperationException unknown) {
            return false;
        }
    }

    /** Why no JVM of master {@code masterPid} starts now, and what to do (see {@link #workingDirectoryGone}). */
    static String workingDirectoryGoneAdvice(int masterPid) {
        return "the working directory, " + System.getProperty("user.dir") + ", is gone (a deploy removed it?), and no JVM starts in a"
                + " deleted directory: stop this master (pid " + masterPid + "; its pid file may have gone with the directory) and start"
                + " the application again from a directory that stays";
    }

    /** Kills the check once it is past its patience; it is reaped as any other. */
    void killIfLate(Os os, long now) {
        if (now - deadlineNanos >= 0) {
            kill(os);
        }
    }

    void kill(Os os) {
        if (!killed) {
            killed = true;
            os.kill(pid, Signals.number("KILL"));
        }
    }

    /** What the JVM said, once it ended with {@code status}: empty when it started, or was killed, or said nothing. Removes its output. */
    Optional<String> result(ExitStatus status) {
        try {
            if (status.code() <= 0) {
                return Optional.empty();
            }
            String said = Files.readAllLines(out).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("Error: Could not create the Java Virtual Machine")
                            && !line.startsWith("Error: A fatal exception has occurred") && !line.startsWith("Picked up "))
                    .collect(Collectors.joining("; "));
            return said.isEmpty() ? Optional.empty() : Optional.of(said.length() > 500 ? said.substring(0, 500) + " ..." : said);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        } finally {
            delete(out);
        }
    }

    private static void delete(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a temp file left behind
        }
    }
}
