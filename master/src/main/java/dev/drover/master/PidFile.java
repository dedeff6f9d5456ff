package dev.drover.master;

import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The pid file and its lock. A master holds {@code flock} on {@code <pid file>.lock} for its whole
 * life: locked means a master runs; unlocked means any pid file left behind is stale. The pid
 * file's content is written to a temp file and renamed into place, so readers never see half of it.
 */
public final class PidFile {
    /** The start of a master's process title ({@link MasterMain}). */
    static final String MASTER_TITLE = "drover: master ";

    private final Path path;
    private final Path lockPath;
    private final Os os;
    private int lockFd = -1;

    public PidFile(Path path, Os os) {
        this.path = path.toAbsolutePath();
        this.lockPath = this.path.resolveSibling(this.path.getFileName() + ".lock");
        this.os = os;
    }

    public Path path() {
        return path;
    }

    /** The operator socket's path, next to the pid file. */
    public Path socketPath() {
        return path.resolveSibling(path.getFileName() + ".sock");
    }

    /**
     * What is at the operator socket's path when it is no socket drover may replace or remove (a
     * file, a directory, a link): a message naming it; empty when there is nothing there or a socket.
     */
    public Optional<String> foreignSocket() {
        try {
            BasicFileAttributes found = Files.readAttributes(socketPath(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return found.isOther() ? Optional.empty() : Optional.of(socketPath() + " is not an operator socket ("
                    + (found.isDirectory() ? "a directory" : found.isSymbolicLink() ? "a symbolic link" : "a file")
                    + "): drover leaves it alone; remove it, or choose another --pid-file");
        } catch (IOException nothingThere) {
            return Optional.empty();
        }
    }

    /** The pid written in the file, if there is a file with a number in it. */
    public Optional<Integer> readPid() {
        try {
            return Optional.of(Integer.parseInt(Files.readString(path, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The running master's pid: the pid file's, or, when that is gone or not yet written (deleted
     * by hand; a master that took the lock a moment ago), the lock's holder.
     */
    public Optional<Integer> masterPid() {
        return readPid().or(() -> os.lockHolder(lockPath));
    }

    /**
     * The master of {@code appName} to signal when its operator socket does not answer: the lock's
     * holder when it is that master (its title, or a JVM that has set none yet), else, when no
     * holder can be named, the pid file's pid if it is titled as that master; empty otherwise, so
     * that a process that reused the pid, another application's master, or a program holding the
     * lock file is never signalled.
     */
    public Optional<Integer> signallableMaster(String appName) {
        String title = MASTER_TITLE + appName;
        Optional<Integer> holder = os.lockHolder(lockPath);
        if (holder.isPresent()) {
            String line = os.commandLine(holder.get()).orElse("");
            return line.equals(title) || line.startsWith("java ") || line.contains("/java ") ? holder : Optional.empty();
        }
        return readPid().filter(pid -> os.commandLine(pid).orElse("").equals(title));
    }

    /** Who holds the lock, for a message: "pid N ('its command line')", or "a process drover cannot name". */
    public String lockHolderText() {
        return os.lockHolder(lockPath).map(pid -> "pid " + pid + " ('" + os.commandLine(pid).orElse("?") + "')").orElse("a process drover cannot name");
    }

    /** The uid that owns the lock file, if there is one this user can see. */
    public Optional<Integer> lockOwner() {
        try {
            return Optional.of((Integer) Files.getAttribute(lockPath, "unix:uid"));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Whether any process holds the lock, tried read-only: of a lock file another user owns too;
     * empty when it cannot be read.
     */
    public Optional<Boolean> heldByAnyone() {
        try {
            return Optional.of(os.locked(lockPath));
        } catch (OsException unreadable) {
            return Optional.empty();
        }
    }

    public Path lockPath() {
        return lockPath;
    }

    /** Whether a master holds the lock right now (none can where the lock file is missing: nothing is created). */
    public boolean isLocked() {
        if (!Files.exists(lockPath)) {
            return false;
        }
        int fd = os.tryLock(lockPath);
        if (fd < 0) {
            return true;
        }
        os.close(fd);
        return false;
    }

    /** The descriptor holding the lock, to hand to a successor; -1 when this process holds none. */
    public int lockFd() {
        return lockFd;
    }

    /** Holds the lock through a descriptor the previous master handed over (it shares the flock). */
    public void adoptLock(int fd) {
        lockFd = fd;
    }

    /** The path a successor binds its operator socket at until it takes over. */
    public Path successorSocketPath() {
        return path.resolveSibling(path.getFileName() + ".sock.next");
    }

    /** Lets go of the lock without removing the files (a successor took them over). */
    public void releaseLockOnly() {
        if (lockFd >= 0) {
            os.close(lockFd);
            lockFd = -1;
        }
    }

    /** Takes the lock for this process's life; false when another master holds it. */
    public boolean tryAcquire() {
        createDirectory();
        lockFd = os.tryLock(lockPath);
        return lockFd >= 0;
    }

    /** The most a pid file drover wrote can hold: a pid and a newline. */
    private static final int MAX_PID_FILE_BYTES = 32;

    /**
     * What is at the path when it is not a pid file drover may replace or remove (a directory, a
     * file holding something other than a pid: a mistyped {@code --pid-file} naming a config
     * file); empty when there is nothing there or a pid file (a pid, or nothing).
     */
    public Optional<String> foreign() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(path)) {
            return Optional.of(path + " is not a pid file (" + (Files.isDirectory(path) ? "a directory" : "not a regular file")
                    + "): drover leaves it alone; choose another --pid-file");
        }
        try {
            if (Files.size(path) <= MAX_PID_FILE_BYTES && Files.readString(path, StandardCharsets.US_ASCII).trim().matches("[0-9]*")) {
                return Optional.empty();
            }
        } catch (IOException | RuntimeException unreadable) {
            // named below
        }
        return Optional.of(path + " is not a pid file (it holds something other than a pid): drover leaves it alone; "
                + "choose another --pid-file, or remove it if it is one");
    }

    /**
     * With the lock free, a pid file left behind is stale. Removes it, leaving the process it names
     * alone, and describes it ("stale pid file F (pid N is not running)"); empty when there was none,
     * or when what is there is no pid file ({@link #foreign}), which stays.
     */
    public Optional<String> removeStale() {
        if (!Files.exists(path) || foreign().isPresent()) {
            return Optional.empty();
        }
        String who = readPid().map(pid -> os.isAlive(pid)
                ? "pid " + pid + " is not a drover master of this pid file (it is '" + os.commandLine(pid).orElse("?") + "', left alone)"
                : "pid " + pid + " is not running").orElse("it holds no pid");
        delete(path);
        return Optional.of("stale pid file " + path + " (" + who + ")");
    }

    /** Writes {@code pid} by temp file and rename. */
    public void write(int pid) {
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temp);
            // rw-r--r-- whatever the umask allows more: only the master's user may change who is running
            Files.write(Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))),
                    (pid + "\n").getBytes(StandardCharsets.US_ASCII));
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pid file " + path + ": " + FileErrors.why(e), e);
        }
    }

    /** Removes the pid file and its socket, then lets go of the lock. */
    public void release() {
        delete(path);
        if (foreignSocket().isEmpty()) {
            delete(socketPath());
        }
        if (lockFd >= 0) {
            os.close(lockFd);
            lockFd = -1;
        }
    }

    private void createDirectory() {
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the pid file's directory " + path.getParent() + ": " + FileErrors.why(e), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a file we cannot remove is reported as stale by the next command
        }
    }
}
