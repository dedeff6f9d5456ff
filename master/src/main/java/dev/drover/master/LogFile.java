package dev.drover.master;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TimeZone;

/**
 * The master's log in Workerman's line format, {@code 2026-11-23 19:40:00 pid:4242 message}, one
 * line per event. Past {@code maxSize} bytes the file moves to {@code <log>.1} and a new one starts.
 * A file moved or removed by someone else (logrotate without copytruncate, a second master's
 * rotation during a restart) is noticed at the next line, which starts a new file at the path, as
 * Workerman's, which appends by path, does.
 * Worker lines arrive over their control channels and are written here with the worker's pid, so
 * workers never hold the log file open.
 */
public final class LogFile implements AutoCloseable {
    public static final long DEFAULT_MAX_SIZE = 10L * 1024 * 1024;

    private final Path path;
    private final boolean echo;
    private final long maxSize;
    private FileChannel channel;
    /** The open file's identity (device and inode), to see that the path names another file, or none. */
    private Object fileKey;
    /** Lines that could not be written since the last one that could, and when and why that began. */
    private long lost;
    private String lostSince;
    private String lostCause;

    /**
     * @param echo also print each line on stdout (a master in the foreground)
     */
    public LogFile(Path path, boolean echo, long maxSize) {
        this.path = path;
        this.echo = echo;
        this.maxSize = maxSize;
        this.channel = open();
    }

    private FileChannel open() {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            FileChannel opened = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            try {
                fileKey = key();
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
            return opened;
        } catch (FileAlreadyExistsException e) { // from createDirectories: a file where a directory should be
            throw new UncheckedIOException("cannot open log file " + path + ": " + e.getFile() + " is not a directory", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log file " + path + ": " + FileErrors.why(e), e);
        }
    }

    public Path path() {
        return path;
    }

    /**
     * The time as a log line starts with it, {@code 2026-11-23 19:40:00}, in the system's time zone.
     * Its offset comes from {@link TimeZone} (the zone {@code ZoneId.systemDefault()} names, from the
     * same tzdb.dat): java.time's zone rules first look for providers in every jar of the class path,
     * ~25 ms of a starting master's path to its first spawn. Written out by hand: a
     * {@code DateTimeFormatter} brings ~40 classes into every master for this one pattern.
     */
    static String now() {
        return localTime(System.currentTimeMillis());
    }

    /** The local time at {@code millis} since the epoch as {@link #now} writes it (status reports show times so too). */
    static String localTime(long millis) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(TimeZone.getDefault().getOffset(millis) / 1000);
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L), 0, offset);
        StringBuilder line = new StringBuilder(19).append(time.getYear()).append('-');
        twoDigits(line, time.getMonthValue()).append('-');
        twoDigits(line, time.getDayOfMonth()).append(' ');
        twoDigits(line, time.getHour()).append(':');
        twoDigits(line, time.getMinute()).append(':');
        return twoDigits(line, time.getSecond()).toString();
    }

    private static StringBuilder twoDigits(StringBuilder line, int value) {
        return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /**
     * Writes one event of the process {@code pid}; a multi-line message keeps its lines together.
     * When the file cannot be written (a full disk, a removed directory), the service goes on: the
     * lines are lost, one warning goes to stderr, the file is reopened at the next line, and the
     * first line written again says how many were lost.
     */
    public synchronized void write(int pid, String message) {
        String now = now();
        String line = now + " pid:" + pid + " " + message + "\n";
        if (echo) {
            System.out.print(line);
            System.out.flush();
        }
        try {
            if (!channel.isOpen() || movedAway()) {
                closeQuietly();
                channel = open();
            }
            rotateIfFull();
            if (lost > 0) {
                append(now + " pid:" + pid + " warning: " + lost + " log lines were lost from " + lostSince + " (" + lostCause + ")\n");
                lost = 0;
            }
            append(line);
        } catch (IOException | UncheckedIOException e) {
            if (lost++ == 0) {
                lostSince = now;
                lostCause = FileErrors.why(e);
                System.err.println("drover: warning: cannot write log file " + path + ": " + FileErrors.why(e)
                        + "; the service goes on, and log lines are lost until the file can be written again");
            }
            closeQuietly();
        }
    }

    /** Whether the path no longer names the open file: it was moved or removed. */
    private boolean movedAway() throws IOException {
        try {
            return fileKey == null || !fileKey.equals(key());
        } catch (NoSuchFileException gone) {
            return true;
        }
    }

    private Object key() throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey(); // of the file a link names, as the channel opened it
    }

    private void append(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Moves a full log to {@code <log>.1}; whatever happens, a channel is open afterwards. */
    private void rotateIfFull() throws IOException {
        if (channel.size() < maxSize) {
            return;
        }
        channel.close();
        try {
            Files.move(path, path.resolveSibling(path.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException movedAway) {
            // someone else (logrotate) moved or removed it: carry on with a new file
        } finally {
            channel = open();
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // reopened at the next line, or nothing is left to report it to
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
