package dev.drover.it;

import dev.drover.master.os.Os;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    static void kill(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor();
        } catch (IOException e) {
            throw new AssertionError("kill -" + signal + " " + pid + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
