package dev.drover.it;

import dev.drover.master.os.Os;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** What /proc says about processes: liveness, descriptors, ids. */
final class Processes {
    private Processes() {}

    /** Alive and not a zombie. */
    static boolean alive(long pid) {
        return Os.linux().isAlive((int) pid);
    }

    /** Where each of the process's descriptors points ({@code socket:[123]}, a path, ...). */
    static List<String> fdTargets(long pid) {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    targets.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (IOException closedMeanwhile) {
                    // the fd closed while we listed
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/" + pid + "/fd: " + e, e);
        }
        return targets;
    }

    /** A line of /proc/<pid>/status, e.g. {@code Uid}. */
    static Optional<String> status(long pid, String key) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).trim()).findFirst();
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /** The process's children, zombies included. */
    static List<Long> children(long pid) {
        return Os.linux().children(pid).stream().map(Integer::longValue).toList();
    }

    /** The process's state letter from /proc/PID/stat (R, S, Z, ...), or empty when it is gone. */
    static Optional<String> state(long pid) {
        return statFields(pid).map(fields -> fields[0]);
    }

    /**
     * Whether every thread of the process is stopped (state T). A SIGSTOP stops a multi-threaded
     * process one thread after another: the thread the kernel picks for the signal has to run before
     * it stops the others, and until they stop they go on (a loop thread accepts a connection).
     */
    static boolean stopped(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            List<Path> all = tasks.toList();
            return !all.isEmpty() && all.stream().allMatch(task -> statFields(task.resolve("stat")).map(f -> f[0].equals("T")).orElse(true));
        } catch (IOException gone) {
            return false;
        }
    }

    /** When the process started, in clock ticks since boot (field 22 of /proc/PID/stat), or empty when it is gone. */
    static Optional<Long> startTicks(long pid) {
        return statFields(pid).map(fields -> Long.parseLong(fields[19]));
    }

    private static Optional<String[]> statFields(long pid) {
        return statFields(Path.of("/proc/" + pid + "/stat"));
    }

    /** The fields of a /proc stat file after the command name (which may hold spaces and parentheses): state first. */
    private static Optional<String[]> statFields(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /** Pids of the processes whose command line contains {@code text}. */
    static List<Long> withCommandLine(String text) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String command = new String(Files.readAllBytes(entry.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
                    if (command.replace('\0', ' ').contains(text)) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // ended while we listed
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc: " + e, e);
        }
        return pids;
    }

    static void kill(long pid, String signal) {
        run("kill", "-" + signal, Long.toString(pid));
    }

    /** A command run to its end: its exit code and its output, stdout and stderr together. */
    record Ran(int code, String output) {}

    /** Runs {@code argv} to its end within 60 s ({@link #run(Duration, String...)}). */
    static Ran run(String... argv) {
        return run(Duration.ofSeconds(60), argv);
    }

    /**
     * Runs {@code argv} to its end within {@code bound}, or fails the test (the process killed); its
     * output is read on a thread of its own, so a command that hangs with its output open cannot
     * outlast the bound.
     */
    static Ran run(Duration bound, String... argv) {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", argv) + ": " + e, e);
        }
        // A thread of its own: the common pool has one thread on two cores, and a read blocks.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(its output could not be read: " + e + ")";
            }
        }, read -> {
            Thread reader = new Thread(read, "output of " + argv[0]);
            reader.setDaemon(true);
            reader.start();
        });
        try {
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not end within " + bound.toSeconds() + " s: "
                        + output.getNow("(its output, still open, is not shown)"));
            }
            return new Ran(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(String.join(" ", argv) + " ended, but its output stayed open (a child of it holds it?): " + e, e);
        }
    }
}
