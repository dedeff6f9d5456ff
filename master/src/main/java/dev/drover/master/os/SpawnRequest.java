package dev.drover.master.os;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link Os#spawn} starts: a program, its argv and environment, and the descriptors it gets.
 * The child gets stdin from {@code /dev/null} when {@code stdio} is set, stdout and stderr appended
 * to {@code stdio}, or the parent's stdio when it is null; {@code passFds} land on fds 3, 4, ...
 * in order; every other descriptor is closed, every signal is reset to its default and the signal
 * mask is emptied.
 *
 * @param program absolute path of the executable
 * @param argv the argument vector, argv[0] included (it becomes the process title)
 * @param env the whole environment
 * @param passFds descriptors handed to the child as fds 3, 4, ...
 * @param stdio file for stdout and stderr, or null to inherit the parent's stdio
 * @param newSession {@code setsid} in the child (daemons); otherwise a process group of its own
 */
public record SpawnRequest(String program, List<String> argv, Map<String, String> env,
                           List<Integer> passFds, Path stdio, boolean newSession) {
    public SpawnRequest {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        passFds = List.copyOf(passFds);
    }
}
