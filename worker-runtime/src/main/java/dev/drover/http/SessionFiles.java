package dev.drover.http;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sessions as files, one per id ({@code ses_<id>}, as Workerman's FileSessionHandler names them),
 * in a directory only their owner reads. A write replaces the file whole (a file beside it, then
 * a rename), so a worker never reads half of another's write. A file's modification time is the
 * session's last use: a read more than a minute after it touches it, so a session read on every
 * request lives as long as one written.
 */
final class SessionFiles implements SessionHandler {
    /** The default directory's: {@code drover-sessions-<uid>} in the temporary directory, found at the first session. */
    static final SessionFiles DEFAULT = new SessionFiles(null);
    private static final String PREFIX = "ses_";
    private static final String LOCK_FILE = ".lock";
    private static final int LOCK_STRIPES = 4096;
    private static final int MAGIC = 0x44534531; // "DSE1"
    /** A read touches a file older than this, or than a quarter of the lifetime when that is shorter. */
    private static final long TOUCH_AFTER_MILLIS = 60_000;
    private static final AtomicBoolean SWEEPING = new AtomicBoolean();
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** Each directory's open {@code .lock} file (see {@link #lock}), for every instance in this process; guarded by the class. */
    private static final Map<Path, LockFile> LOCKS = new java.util.HashMap<>();

    /** An open {@code .lock} file, and its file's key as it was opened: the file the path names must still be it. */
    private record LockFile(FileChannel channel, Object key) {}
    /** The default directory as this process found it for a temporary directory, checked (see {@link #directory}); null until then. */
    private static volatile DefaultDirectory defaultDirectory;

    private record DefaultDirectory(String tmpdir, Path path) {}
    /** One write in this many sweeps the directory (Workerman's gcProbability, 1 in 1,000). */
    private static final int SWEEP_ONE_IN = 1000;

    /** The save path, or null for the default. */
    private final Path savePath;

    SessionFiles(Path savePath) {
        this.savePath = savePath;
    }

    /**
     * The directory of the files. The default one, in the shared temporary directory, is refused
     * unless this user owns it and nobody else may enter it: another local user who made it first
     * could read the sessions, or plant one and log in with it.
     *
     * @throws UncheckedIOException naming the directory and what to do
     */
    Path directory() {
        return savePath != null ? savePath : defaultDirectory();
    }

    /**
     * {@code drover-sessions-<uid>} in the temporary directory, found and checked once: at a
     * worker's first session, after it took its user.
     */
    private static Path defaultDirectory() {
        String tmpdir = System.getProperty("java.io.tmpdir");
        DefaultDirectory found = defaultDirectory;
        if (found == null || !found.tmpdir().equals(tmpdir)) {
            int self = self();
            Path path = Path.of(tmpdir, "drover-sessions-" + self);
            checkOwn(path, self);
            found = new DefaultDirectory(tmpdir, path);
            defaultDirectory = found;
        }
        return found.path();
    }

    private static int uid(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw failure("check", path, e);
        }
    }

    private static void checkOwn(Path directory, int self) {
        try {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory, OWNER_DIRECTORY);
            }
            int owner = uid(directory);
            int mode = (Integer) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            String refused = owner != self ? "the session directory " + directory + " belongs to uid " + owner + " with mode "
                    + Integer.toOctalString(mode & 0777) + ", not to this worker's uid " + self
                    + ": another user made it; remove it, or name your own with Session.setSavePath"
                    : (mode & 0077) != 0 ? "the session directory " + directory + " has mode " + Integer.toOctalString(mode & 0777)
                    + ", which lets other users in: chmod 700 it, or name your own with Session.setSavePath" : null;
            if (refused != null) {
                throw new UncheckedIOException(refused, new IOException(refused));
            }
        } catch (IOException e) {
            throw failure("make", directory, e);
        }
    }

    /**
     * Makes {@code directory} again where it is gone (a temp cleaner, by hand), or takes it as it
     * is now found: the default one is checked again then, since another user may have made it
     * meanwhile. A directory named with setSavePath is the application's to keep.
     */
    private static void remake(Path directory) throws IOException {
        DefaultDirectory found = defaultDirectory;
        if (found != null && found.path().equals(directory)) {
            checkOwn(directory, self());
        } else {
            Files.createDirectories(directory, OWNER_DIRECTORY);
        }
    }

    /**
     * This process's effective uid, once it took its user (sessions are used in callbacks, after the
     * switch): the one its files get. From {@code /proc/self/status}'s {@code Uid:} line (real,
     * effective, saved, filesystem); the {@code /proc/self} link itself is root's, whoever asks.
     */
    private static int self() {
        int known = selfUid;
        if (known < 0) {
            Path status = Path.of("/proc/self/status");
            try {
                known = effectiveUid(Files.readAllLines(status, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read this worker's uid from " + status + " for its session files", e);
            }
            selfUid = known;
        }
        return known;
    }

    /** The effective uid in the lines of a /proc/PID/status. */
    static int effectiveUid(List<String> status) {
        for (String line : status) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
            }
        }
        throw new IllegalArgumentException("no Uid: line");
    }

    private static volatile int selfUid = -1;

    @Override
    public Map<String, String> read(String id, Duration lifetime) {
        return read(directory(), id, lifetime, false);
    }

    /**
     * The session's values, or null. An expired file is deleted only by a caller holding the
     * session's lock ({@code locked}): without it, another worker's write could have replaced the
     * file between the look at its age and the delete, which would take the fresh session.
     */
    private static Map<String, String> read(Path directory, String id, Duration lifetime, boolean locked) {
        Path file = directory.resolve(PREFIX + id);
        long lifetimeMillis = lifetime.toMillis();
        try {
            Map<String, Object> attributes = Files.readAttributes(file, "unix:uid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            if ((Integer) attributes.get("uid") != self()) {
                return null; // not written by this user: planted by another (in a directory made anew meanwhile, say)
            }
            long age = System.currentTimeMillis() - ((FileTime) attributes.get("lastModifiedTime")).toMillis();
            if (age > lifetimeMillis) {
                if (locked) {
                    Files.deleteIfExists(file);
                }
                return null;
            }
            Map<String, String> values = decode(Files.readAllBytes(file));
            if (age > Math.min(TOUCH_AFTER_MILLIS, lifetimeMillis / 4)) {
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
            }
            return values.isEmpty() ? null : values;
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            throw failure("read", directory, e);
        }
    }

    /**
     * Reads the file, applies the changes, and replaces it (or deletes it, left empty), holding the
     * session's lock; one write in 1,000 sweeps the directory.
     */
    @Override
    public Map<String, String> update(String id, boolean clear, Map<String, String> changes, Duration lifetime) {
        Path directory = directory();
        synchronized (SessionFiles.class) { // a process holds one fcntl lock of a range at a time; its threads take turns here
            return update(directory, id, clear, changes, lifetime);
        }
    }

    private static Map<String, String> update(Path directory, String id, boolean clear, Map<String, String> changes, Duration lifetime) {
        try (FileLock held = lock(directory, id)) {
            Map<String, String> next = clear ? null : read(directory, id, lifetime, true);
            if (next == null) {
                next = new LinkedHashMap<>();
            }
            for (Map.Entry<String, String> change : changes.entrySet()) {
                if (change.getValue() == null) {
                    next.remove(change.getKey());
                } else {
                    next.put(change.getKey(), change.getValue());
                }
            }
            if (next.isEmpty()) {
                destroy(directory, id);
            } else {
                write(directory, id, next);
                sweepSometimes(directory, lifetime);
            }
            return next;
        } catch (IOException e) {
            throw failure("lock", directory, e);
        }
    }

    /**
     * Session {@code id}'s lock, so that two workers changing one session at once keep both
     * changes: one byte of the directory's {@code .lock} file, chosen by the id (4,096 stripes),
     * locked with fcntl, which waits for another process's hold of it (a read and a write long).
     * The file stays open in this process, one per directory, while the path still names it.
     */
    private static FileLock lock(Path directory, String id) throws IOException {
        Path file = directory.resolve(LOCK_FILE);
        LockFile open = LOCKS.get(directory);
        if (open == null || !open.channel().isOpen() || !open.key().equals(keyOf(file))) {
            // None yet, or the directory was removed (a temp cleaner, by hand) and made again, by
            // another worker or another user (checked again): the other workers lock the new file.
            if (open != null) {
                open.channel().close();
                remake(directory);
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), OWNER_FILE);
            } catch (NoSuchFileException noDirectory) { // the first session written there
                remake(directory);
                channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), OWNER_FILE);
            }
            open = new LockFile(channel, keyOf(file));
            LOCKS.put(directory, open);
        }
        return open.channel().lock(id.hashCode() & (LOCK_STRIPES - 1), 1, false);
    }

    /** The key (device and inode) of the file {@code path} names; a new object when there is none, equal to no key. */
    private static Object keyOf(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException gone) {
            return new Object();
        }
    }

    @Override
    public void touch(String id, Duration lifetime) {
        Path directory = directory();
        try {
            Files.setLastModifiedTime(directory.resolve(PREFIX + id), FileTime.fromMillis(System.currentTimeMillis()));
        } catch (NoSuchFileException gone) {
            // ended elsewhere: nothing to keep
        } catch (IOException e) {
            throw failure("touch", directory, e);
        }
    }

    @Override
    public void destroy(String id) {
        destroy(directory(), id);
    }

    private static void destroy(Path directory, String id) {
        try {
            Files.deleteIfExists(directory.resolve(PREFIX + id));
        } catch (IOException e) {
            throw failure("delete", directory, e);
        }
    }

    private static void write(Path directory, String id, Map<String, String> values) {
        Path file = directory.resolve(PREFIX + id);
        Path next = directory.resolve("." + PREFIX + id + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try {
                Files.createFile(next, OWNER_FILE);
            } catch (NoSuchFileException noDirectory) { // removed since the lock was taken (a temp cleaner, by hand)
                remake(directory);
                Files.createFile(next, OWNER_FILE);
            }
            Files.write(next, encode(values));
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(next);
            } catch (IOException ignored) {
                // the failure below names the directory
            }
            throw failure("write", directory, e);
        }
    }

    /** Now and then (one call in {@link #SWEEP_ONE_IN}), deletes the sessions past their lifetime, on a thread of its own. */
    private static void sweepSometimes(Path directory, Duration lifetime) {
        if (ThreadLocalRandom.current().nextInt(SWEEP_ONE_IN) == 0 && SWEEPING.compareAndSet(false, true)) { // one at a time
            Thread sweeper = new Thread(() -> {
                try {
                    sweep(directory, lifetime);
                } finally {
                    SWEEPING.set(false);
                }
            }, "drover-session-sweep");
            sweeper.setDaemon(true);
            sweeper.start();
        }
    }

    /** Deletes the session files (and files half written by a process that died) in {@code directory} unused for longer than {@code lifetime}. */
    static void sweep(Path directory, Duration lifetime) {
        long oldest = System.currentTimeMillis() - lifetime.toMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "{" + PREFIX + ",." + PREFIX + "}*")) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file).toMillis() < oldest) {
                        String name = file.getFileName().toString();
                        if (name.startsWith(PREFIX)) {
                            expire(directory, name.substring(PREFIX.length()), file, oldest);
                        } else {
                            Files.deleteIfExists(file); // half written by a process that died: nobody renames it any more
                        }
                    }
                } catch (IOException | UncheckedIOException raced) {
                    // deleted or replaced by another worker meanwhile, or a directory no longer ours: the next write says so
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // no directory yet, or not ours to list: nothing to sweep; writes report it
        }
    }

    /** Deletes session {@code id}'s file if it is still older than {@code oldest} once its lock is held: a write meanwhile keeps it. */
    private static void expire(Path directory, String id, Path file, long oldest) throws IOException {
        synchronized (SessionFiles.class) {
            try (FileLock held = lock(directory, id)) {
                if (Files.getLastModifiedTime(file).toMillis() < oldest) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** A failure naming the directory, not the file: a session's id in a log would let its reader take the session over. */
    private static UncheckedIOException failure(String what, Path directory, IOException e) {
        String why = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName();
        return new UncheckedIOException("cannot " + what + " a session file in " + directory + " (" + why
                + "): Session.setSavePath names a directory this worker's user may write", e);
    }

    static byte[] encode(Map<String, String> values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(values.size());
            for (Map.Entry<String, String> entry : values.entrySet()) {
                writeText(out, entry.getKey());
                writeText(out, entry.getValue());
            }
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    /** The values in {@code bytes}; none when they are not a session's (a file cut short, or another program's). */
    static Map<String, String> decode(byte[] bytes) {
        Map<String, String> values = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                return values;
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                values.put(readText(in, bytes.length), readText(in, bytes.length));
            }
        } catch (IOException | IllegalArgumentException corrupt) {
            values.clear();
        }
        return values;
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in, int most) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > most) {
            throw new IllegalArgumentException("a length of " + length);
        }
        byte[] utf8 = in.readNBytes(length);
        if (utf8.length != length) {
            throw new IllegalArgumentException("cut short");
        }
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
