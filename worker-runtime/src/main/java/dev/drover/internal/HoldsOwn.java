package dev.drover.internal;

import dev.drover.master.Environment;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Whether this worker's master keeps a copy of the listeners a worker binds itself
 * ({@link Environment#HOLDS_OWN}). Read at the first such listener there is to lend, so a worker
 * that binds none (most) never reads it.
 */
final class HoldsOwn {
    static final boolean MASTER_KEEPS_COPIES = ofParent(System.getenv(Environment.HOLDS_OWN), parentPid());

    private HoldsOwn() {}

    /** Whether {@code masterPid}, from the environment, is {@code parent}: not a variable some other process's environment handed down. */
    static boolean ofParent(String masterPid, long parent) {
        return masterPid != null && parent > 0 && masterPid.equals(Long.toString(parent));
    }

    /**
     * This process's parent, from {@code /proc/self/stat} ("pid (comm) state ppid ...", where comm
     * may hold spaces and parentheses), or -1 if that cannot be read. {@code ProcessHandle} would
     * load some 40 classes and a thread pool's into the worker for it (~0.3 MiB of RSS).
     */
    static long parentPid() {
        try (FileInputStream in = new FileInputStream("/proc/self/stat")) {
            String stat = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
    }
}
