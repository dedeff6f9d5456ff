package dev.drover.master;

import dev.drover.master.os.ExitStatus;
import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import dev.drover.master.os.Signals;
import dev.drover.master.os.SpawnRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The AppCDS archives worker JVMs start from: classes parsed, verified and laid out once, then
 * mapped by every worker, which starts faster and shares those pages. One archive per worker
 * command (java, JVM options, class path jars with their sizes and times), so a deploy gets a new
 * one. The first worker of a command that has none records the classes it loads
 * ({@code -XX:DumpLoadedClassList}), with {@link Environment#RECORDING} set: before it is ready it
 * has one exchange in its protocol with itself, so the list holds what a first request loads. Once
 * it is ready, the master dumps the archive in the background ({@code java -Xshare:dump}) and every
 * later worker of that command maps it.
 *
 * <p>None is built when the class path holds a directory (CDS needs jars), when the worker options
 * choose their own ({@code -Xshare}, {@code -XX:SharedArchiveFile}, {@code -XX:AOTCache}), or when
 * {@code DROVER_CLASS_ARCHIVE=off}. The files live in {@code .drover-cache/} beside the log file,
 * a directory only its owner can write (an archive is code the workers run).
 *
 * <p>A damaged archive (cut short, overwritten) crashes the JVMs that map it as they start, or, with
 * its header damaged, they run without it: a JVM started mapping one that crashes before it is
 * ready, or is ready without it mapped, has the archive removed, and the next records a new one.
 */
final class ClassArchive {
    /** {@code off} disables the archives. */
    static final String SWITCH = "DROVER_CLASS_ARCHIVE";
    private static final String MAP_OPTION = "-XX:SharedArchiveFile=";
    /** Signals a JVM dies of when it crashes (HotSpot's error handler ends in abort). */
    private static final List<String> CRASH_SIGNALS = List.of("ABRT", "SEGV", "BUS", "ILL", "FPE");

    private enum State { RECORDING, DUMPING, READY, UNAVAILABLE }

    private static final class Entry {
        State state;
        int recorder;
        int dumper;
        long dumpStartedNanos;
        List<String> dumpArgv;
        /** The class path jars' paths, sizes and times, hashed: a deploy changes it. */
        String jars;
        /** Whose archive: "workers" or "master". */
        String owner;
        /** A JVM was seen ready with the archive mapped: no later one is checked. */
        boolean seenMapped;

        /** The archive is gone: the next JVM records the class list again. */
        void forget() {
            state = null;
            seenMapped = false;
        }
    }

    private final Os os;
    private final Path directory;
    private final String appName;
    private final Consumer<String> log;
    private final boolean enabled;
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Optional<Path>> nativeCopies = new HashMap<>();
    /** JVMs started mapping an archive and not ready yet, by pid: the archive's key. */
    private final Map<Integer, String> mapping = new HashMap<>();

    ClassArchive(Os os, Path logDirectory, String appName, Consumer<String> log) {
        this.os = os;
        this.directory = directory(logDirectory);
        this.appName = appName;
        this.log = log;
        this.enabled = enabled();
    }

    /** The cache directory beside the log: class archives and {@link NativeCopies}. */
    static Path directory(Path logDirectory) {
        return logDirectory.resolve(".drover-cache");
    }

    /** Creates the cache {@code directory} if it is missing, writable by its owner alone; whether this process can write it. */
    static boolean createDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
        return Files.isWritable(directory);
    }

    /** Whether the operator left the archives (and the native copies) on: {@link #SWITCH} is not {@code off}. */
    static boolean enabled() {
        return !"off".equals(System.getenv(SWITCH));
    }

    /** What a worker of one command starts with: {@code options} for its archive (maybe none). */
    record Plan(String key, List<String> options) {
        boolean records() {
            return !options.isEmpty() && options.get(0).startsWith("-XX:DumpLoadedClassList=");
        }

        /** Whether a JVM started with this plan maps an archive. */
        boolean maps() {
            return !options.isEmpty() && options.get(0).startsWith(MAP_OPTION);
        }
    }

    /**
     * The archive options for a worker JVM of {@code java} with {@code options} (all of them, up
     * to the class path) on {@code classPath}: map the archive, record the class list, or nothing.
     */
    Plan plan(String java, List<String> options, String classPath) {
        return plan(java, options, classPath, "workers");
    }

    /** {@link #plan} for a master drover starts (a daemon, a successor): its class list is recorded while it starts. */
    Plan planMaster(String java, List<String> options, String classPath) {
        return plan(java, options, classPath, "master");
    }

    private Plan plan(String java, List<String> options, String classPath, String owner) {
        String jars = usable(options) ? jars(classPath) : null;
        if (jars == null) {
            return new Plan(null, List.of());
        }
        String key = key(java, options, jars);
        Entry entry = entries.computeIfAbsent(key, k -> new Entry());
        entry.jars = jars;
        entry.owner = owner;
        if (entry.state == null && Files.isRegularFile(archive(key))) {
            entry.state = State.READY;
        } else if (entry.state == State.READY && !Files.isRegularFile(archive(key))) {
            entry.forget(); // deleted by someone (the whole cache, say): a JVM would start without it; record it again
        }
        if (entry.state == State.READY) {
            return new Plan(key, List.of(MAP_OPTION + archive(key), "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        boolean recorderMissing = entry.state == State.RECORDING && entry.recorder == 0; // its spawn failed
        if ((entry.state == null || recorderMissing) && prepareDirectory()) {
            entry.state = State.RECORDING;
            entry.dumpArgv = dumpArgv(java, options, classPath, key);
            String record = "-XX:DumpLoadedClassList=" + classList(key);
            // A deploy's first master lives as long as the deploy. Mapping the JDK's own archive, it
            // had all of it resident (12 MiB on 17, relocated at start); parsing the ~1,000 JDK
            // classes it uses instead leaves it 3 MiB smaller on 17 and 4 on 25, for a first start
            // within the noise of the same (docs/PERFORMANCE.md).
            return new Plan(key, owner.equals("master") ? List.of(record, "-Xshare:off") : List.of(record));
        }
        return new Plan(key, List.of());
    }

    /** The directory with Netty's epoll library for workers on {@code classPath}, copied there once ({@link NativeCopies}). */
    Optional<Path> nettyNative(String classPath) {
        return nativeCopy(classPath, NativeCopies.nettyEpoll(System.getProperty("os.arch")));
    }

    private Optional<Path> nativeCopy(String classPath, Optional<NativeCopies.Library> library) {
        if (!enabled || library.isEmpty()) {
            return Optional.empty();
        }
        return nativeCopies.computeIfAbsent(library.get().name() + "\n" + classPath,
                key -> prepareDirectory() ? NativeCopies.copy(directory, classPath, library.get(), log) : Optional.empty());
    }

    /** The worker started with {@code plan} got {@code pid}. */
    void spawned(Plan plan, int pid) {
        if (plan.records()) {
            entries.get(plan.key()).recorder = pid;
        } else if (plan.maps()) {
            mapping.put(pid, plan.key());
        }
    }

    /**
     * A worker is ready: if it recorded a class list, dump the archive from it. The first also has
     * jffi's stub copied for the masters and commands started later ({@link NativeCopies#useJffiCopy}),
     * if this master could not copy it as it started (its log's directory did not exist yet).
     */
    void ready(int pid) {
        nativeCopy(System.getProperty("java.class.path"), NativeCopies.jffi(System.getProperty("os.arch")));
        String mapped = mapping.remove(pid);
        if (mapped != null) {
            checkMapped(mapped, pid);
        }
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            if (entry.state == State.RECORDING && entry.recorder == pid) {
                dump(e.getKey(), entry);
            }
        }
    }

    /**
     * A worker (or a master this one started) exited with {@code status}: one that was recording
     * before it was ready leaves the recording to the next. Returns whether its archive crashed it
     * (it was started mapping one and crashed before it was ready): that archive is gone, and a
     * worker is to be started again at once.
     */
    boolean exited(int pid, ExitStatus status) {
        for (Entry entry : entries.values()) {
            if (entry.state == State.RECORDING && entry.recorder == pid) {
                entry.state = null;
                entry.recorder = 0;
            }
        }
        String mapped = mapping.remove(pid);
        if (mapped == null || !crashed(status)) {
            return false;
        }
        Entry entry = entries.get(mapped);
        if (entry != null && entry.state == State.READY) { // the first of the JVMs it crashed removes it
            discard(mapped, entry, "crashed pid " + pid + " as its JVM started (exit status " + status + ")");
        }
        return true;
    }

    /**
     * A master started with {@code plan} exited with {@code status} before it ran drover's code (the
     * JVM itself failed): when its archive crashed it, that archive is removed, and returned so
     * that the caller can say so and start the master again, without it.
     */
    Optional<Path> crashedAtStart(Plan plan, ExitStatus status) {
        if (!plan.maps() || !crashed(status)) {
            return Optional.empty();
        }
        discard(plan.key(), entries.get(plan.key()), "crashed a master as its JVM started (exit status " + status + ")");
        return Optional.of(archive(plan.key()));
    }

    private static boolean crashed(ExitStatus status) {
        return status.killedBySignal() && CRASH_SIGNALS.stream().anyMatch(name -> Signals.number(name) == status.signal());
    }

    /** {@code pid}, started mapping the archive of {@code key}, is ready: the first such JVM is checked for the mapping. */
    private void checkMapped(String key, int pid) {
        Entry entry = entries.get(key);
        if (entry == null || entry.state != State.READY || entry.seenMapped) {
            return;
        }
        Optional<Boolean> maps = os.mapsFileNamed(pid, archive(key).getFileName().toString());
        if (maps.isEmpty()) {
            return; // gone already: the next one tells
        }
        if (maps.get()) {
            entry.seenMapped = true;
        } else {
            discard(key, entry, "was refused by pid " + pid + ", which started without it (a damaged header, or made by another build of java)");
        }
    }

    /** The archive of {@code key} is damaged: removed, and the next JVM it was for records a new one. */
    private void discard(String key, Entry entry, String what) {
        deleteQuietly(archive(key));
        entry.forget();
        log.accept("warning: the class archive " + archive(key) + " " + what + "; removed it: the next "
                + (entry.owner.equals("master") ? "master" : "worker") + " records its classes again and a new one is built");
    }

    /** Whether {@code pid} is a dump this archive waits for. */
    boolean isDumper(int pid) {
        return entries.values().stream().anyMatch(e -> e.state == State.DUMPING && e.dumper == pid);
    }

    /** Reaps a finished dump and puts its archive in place. */
    void reap() {
        for (Map.Entry<String, Entry> e : List.copyOf(entries.entrySet())) {
            Entry entry = e.getValue();
            if (entry.state == State.DUMPING) {
                os.reap(entry.dumper).ifPresent(status -> dumped(e.getKey(), entry, status));
            }
        }
    }

    /** The master stops: a dump still running is ended (its partial file deleted). */
    void close() {
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            if (entry.state == State.DUMPING) {
                os.kill(entry.dumper, Signals.number("KILL"));
                // A killed process is gone in a few ms; one stuck in the kernel is left to init after 5 s.
                Pause.until(() -> os.reap(entry.dumper).isPresent() || !os.isAlive(entry.dumper), Duration.ofSeconds(5), 1);
                deleteQuietly(temporary(e.getKey()));
                deleteQuietly(dumpLog(e.getKey()));
            }
        }
    }

    private void dump(String key, Entry entry) {
        Path output = dumpLog(key);
        try {
            entry.dumper = os.spawn(new SpawnRequest(entry.dumpArgv.get(0), entry.dumpArgv, Map.of("PATH", "/usr/bin:/bin"), List.of(),
                    output, false));
            entry.dumpStartedNanos = System.nanoTime();
            entry.state = State.DUMPING;
        } catch (OsException e) {
            unavailable(entry, "cannot start " + entry.dumpArgv.get(0) + " -Xshare:dump: " + e.getMessage());
        }
    }

    private void dumped(String key, Entry entry, ExitStatus status) {
        Path output = dumpLog(key);
        if (status.number() != 0 || status.killedBySignal() || !Files.isRegularFile(temporary(key))) {
            unavailable(entry, "java -Xshare:dump exited with status " + status + "; its output is in " + output);
            return;
        }
        try {
            Files.move(temporary(key), archive(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            unavailable(entry, "cannot move " + temporary(key) + " to " + archive(key) + ": " + e.getMessage());
            return;
        }
        deleteQuietly(output);
        deleteQuietly(classList(key));
        entry.state = State.READY;
        removeOthers(entry.jars); // before the line that says so: whoever reads it finds the earlier deploy's archives gone
        log.accept("class archive for the " + entry.owner + " ready in " + (System.nanoTime() - entry.dumpStartedNanos) / 1_000_000 + " ms: "
                + archive(key) + "; " + (entry.owner.equals("master") ? "masters" : "workers") + " started from now on map it");
    }

    private void unavailable(Entry entry, String why) {
        entry.state = State.UNAVAILABLE;
        log.accept("warning: " + (entry.owner.equals("master") ? "masters" : "workers")
                + " start without a class archive (slower, more memory): " + why);
    }

    /** Archives of this app for other jars (an earlier deploy's): nothing starts from them any more. */
    private void removeOthers(String jars) {
        entries.values().removeIf(e -> !jars.equals(e.jars) && e.state != State.DUMPING);
        try (var files = Files.list(directory)) {
            files.filter(f -> f.getFileName().toString().startsWith(appName + "-"))
                    .filter(f -> entries.keySet().stream().noneMatch(k -> f.getFileName().toString().startsWith(appName + "-" + k)))
                    .forEach(ClassArchive::deleteQuietly);
        } catch (IOException ignored) {
            // stale archives only take disk space
        }
    }

    private boolean prepareDirectory() {
        try {
            return createDirectory(directory);
        } catch (IOException | UnsupportedOperationException e) {
            log.accept("warning: workers start without a class archive: cannot create " + directory + ": " + FileErrors.why(e));
            return false;
        }
    }

    private List<String> dumpArgv(String java, List<String> options, String classPath, String key) {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(options);
        argv.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList(key), "-XX:SharedArchiveFile=" + temporary(key),
                "-cp", classPath));
        return argv;
    }

    /** Whether workers with {@code options} may get an archive: not when switched off or when the options choose their own. */
    private boolean usable(List<String> options) {
        return enabled && options.stream().noneMatch(o -> o.startsWith("-Xshare") || o.startsWith("-XX:SharedArchiveFile")
                || o.startsWith("-XX:AOTCache") || o.startsWith("-XX:ArchiveClassesAtExit") || o.startsWith("-javaagent"));
    }

    /** The class path's jars with their sizes and times, hashed; null when an entry is not a jar (CDS wants jars). */
    private static String jars(String classPath) {
        StringBuilder text = new StringBuilder();
        try {
            for (String entry : classPath.split(":")) {
                Path path = Path.of(entry);
                if (!Files.isRegularFile(path)) {
                    return null; // a directory or a missing entry
                }
                text.append(path.toAbsolutePath()).append(' ').append(Files.size(path)).append(' ')
                        .append(Files.getLastModifiedTime(path).toMillis()).append('\n');
            }
        } catch (IOException e) {
            return null;
        }
        return fingerprint(text.toString());
    }

    /** The archive's key for this worker command: java, its version, the options, the jars. */
    private static String key(String java, List<String> options, String jars) {
        return fingerprint(java + "\n" + System.getProperty("java.vm.version") + "\n" + String.join("\n", options) + "\n" + jars);
    }

    /**
     * 64-bit FNV-1a of {@code text}, in hex: names a cache file, and the JVM checks an archive
     * against its class path itself, so no cryptographic hash (whose providers cost a starting
     * CLI ~30 ms) is needed.
     */
    static String fingerprint(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return HexFormat.of().toHexDigits(hash); // 16 digits; not String.format, whose Formatter costs a starting JVM ~3 ms
    }

    private Path archive(String key) {
        return directory.resolve(appName + "-" + key + ".jsa");
    }

    private Path temporary(String key) {
        return directory.resolve(appName + "-" + key + ".jsa.tmp");
    }

    private Path dumpLog(String key) {
        return directory.resolve(appName + "-" + key + ".dump.log");
    }

    private Path classList(String key) {
        return directory.resolve(appName + "-" + key + ".classlist");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover file only takes disk space
        }
    }
}
