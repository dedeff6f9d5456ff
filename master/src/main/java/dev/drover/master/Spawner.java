package dev.drover.master;

import dev.drover.master.os.Os;
import dev.drover.master.os.SpawnRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts worker JVMs (and the daemon master) through {@code posix_spawn}: the channel socket on
 * fd 3 and nothing else beyond stdio, signals at their defaults, a process group of their own.
 * {@link DaemonStart} takes only the daemon's command from here and starts it from Java.
 */
public final class Spawner {
    private final Os os;
    private final JvmCommand command;
    private final Path crashDirectory;

    private final java.time.Duration stopTimeout;
    private final ClassArchive archive;

    public Spawner(Os os, JvmCommand command, Path crashDirectory, java.time.Duration stopTimeout, ClassArchive archive) {
        this.os = os;
        this.command = command;
        this.crashDirectory = crashDirectory;
        this.stopTimeout = stopTimeout;
        this.archive = archive;
    }

    /** Starts a {@link JvmCheck} of the options {@code worker} started with. */
    Optional<JvmCheck> checkJvm(WorkerProcess worker) {
        return JvmCheck.start(os, command.java(), command.workerOptions(workerDefaults(), worker.group.jvmOptions()), baseEnvironment(),
                worker + " id " + worker.id);
    }

    /** The class archives the workers start from. */
    ClassArchive archive() {
        return archive;
    }

    /** The options a worker JVM starts with before the master's own and the group's. */
    List<String> workerDefaults() {
        List<String> defaults = new ArrayList<>(List.of(
                // A young generation of 512 KiB to start with: an idle worker touches no more of it than
                // that, and the first full collection under load sizes it to the heap (NewRatio).
                "-Xms8m", "-XX:NewSize=512k", "-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                // Netty registers its JFR buffer events with the first allocation: ~100 classes and
                // ~170 ms of a new worker's first request. A recording can turn them back on.
                "-Dio.netty.jfr.enabled=false",
                // Applications never hold Netty's buffers (they get byte[] and String), so the leak
                // detector's sampled stack traces only cost: with it off and the pooled allocator's
                // thread caches instead of the adaptive one's, a hello worker's event loop spent
                // ~25% less user CPU per request (side by side, docs/PERFORMANCE.md).
                "-Dio.netty.leakDetection.level=disabled",
                "-Dio.netty.allocator.type=pooled",
                "-XX:ErrorFile=" + crashDirectory.resolve("hs_err_pid%p.log")));
        defaults.addAll(JvmCommand.versionOptions());
        defaults.addAll(JvmCommand.tuning(Runtime.version()));
        // Netty looks here first; an operator's own -Djava.library.path comes later and wins.
        archive.nettyNative(command.classPath()).ifPresent(directory ->
                defaults.add("-Djava.library.path=" + directory + ":" + System.getProperty("java.library.path", "")));
        return defaults;
    }

    /** Spawns worker {@code id} of {@code group} with {@code channelFd} as its control socket. */
    public int spawnWorker(GroupSpec group, int id, String listen, int channelFd) {
        Map<String, String> env = baseEnvironment();
        env.remove("NOTIFY_SOCKET"); // systemd hears the master alone: a worker's library would take its watchdog or READY=1 for its own
        env.remove("WATCHDOG_USEC");
        env.put(Environment.ROLE, Environment.ROLE_WORKER);
        env.put(Environment.GROUP, Integer.toString(group.index()));
        env.put(Environment.WORKER_ID, Integer.toString(id));
        env.put(Environment.STOP_TIMEOUT_MILLIS, Long.toString(stopTimeout.toMillis()));
        env.put(Environment.HOLDS_OWN, Long.toString(ProcessHandle.current().pid()));
        WorkerLimits limits = group.limits();
        if (!limits.heartbeat().isZero()) {
            env.put(Environment.HEARTBEAT_MILLIS, Long.toString(limits.heartbeat().toMillis()));
        }
        if (limits.maxRequests() > 0) {
            env.put(Environment.MAX_REQUESTS, Long.toString(limits.drawMaxRequests()));
        }
        // glibc gives each thread that mallocs an arena of its own; a worker's few native threads need two.
        env.putIfAbsent("MALLOC_ARENA_MAX", "2");
        if (group.user() != null) {
            env.put(Environment.USER, group.user());
        }
        if (group.group() != null) {
            env.put(Environment.USER_GROUP, group.group());
        }
        String title = "drover: worker " + group.name() + " " + listen;
        env.put(Environment.TITLE, title);
        List<String> options = command.workerOptions(workerDefaults(), group.jvmOptions());
        ClassArchive.Plan plan = archive.plan(command.java(), options, command.classPath());
        if (plan.records()) {
            env.put(Environment.RECORDING, "1");
        }
        List<String> withArchive = new ArrayList<>(plan.options());
        withArchive.addAll(options);
        int pid = os.spawn(new SpawnRequest(command.java(), command.worker(title, withArchive), env, List.of(channelFd), null, false));
        archive.spawned(plan, pid);
        return pid;
    }

    /**
     * Spawns this program again as a master in a new session, reporting on {@code reportFd}:
     * a daemon ({@link Environment#ROLE_DAEMON}) or a successor ({@link Environment#ROLE_SUCCESSOR}).
     */
    public int spawnMaster(String role, String appName, int reportFd, Path stdout) {
        makeParentDirectory(stdout);
        MasterCommand master = masterCommand(role, appName);
        int pid = os.spawn(new SpawnRequest(command.java(), master.argv(), master.env(), List.of(reportFd), stdout, true));
        archive.spawned(master.plan(), pid);
        return pid;
    }

    /**
     * Makes the stdout file's directory where it is missing, as the log's and the pid file's are
     * made; one that cannot be made is left to the spawn, whose failure names the file.
     */
    static void makeParentDirectory(Path stdout) {
        Path parent = stdout == null ? null : stdout.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
        } catch (java.io.IOException | RuntimeException cannot) {
            // said by the spawn
        }
    }

    /**
     * A master drover starts: its argv (argv[0] the title {@code ps} shows), environment, and the
     * class archive it maps or records.
     */
    record MasterCommand(List<String> argv, Map<String, String> env, ClassArchive.Plan plan) {}

    /** The command of a master of {@code role}; spawning it is the caller's. */
    MasterCommand masterCommand(String role, String appName) {
        Map<String, String> env = baseEnvironment();
        env.put(Environment.ROLE, role);
        ClassArchive.Plan plan = masterPlan();
        // The archive's options go before the marker: a master's workers and successors do not inherit them.
        List<String> masterOptions = new ArrayList<>(plan.options());
        masterOptions.addAll(masterOptions());
        masterOptions.add(JvmCommand.MASTER_OPTIONS_END);
        return new MasterCommand(command.relaunch("drover: master " + appName, masterOptions), env, plan);
    }

    /**
     * In a master drover started: register it as started with its archive's plan (when its own
     * options are that plan's), so that {@link ClassArchive#ready} dumps the archive from the class
     * list it recorded, or checks that it maps the archive it was given.
     */
    public void startedMaster(List<String> ownOptions, int ownPid) {
        ClassArchive.Plan plan = masterPlan();
        if (!plan.options().isEmpty() && ownOptions.contains(plan.options().get(0))) {
            archive.spawned(plan, ownPid);
        }
    }

    /** The class archive a master drover starts maps or records. */
    ClassArchive.Plan masterPlan() {
        return archive.planMaster(command.java(), masterCommandOptions(), command.classPath());
    }

    /** {@link JvmCommand#MASTER_OPTIONS} and {@link JvmCommand#tuning}, less what the operator's own options choose instead ({@link JvmOptions}). */
    private List<String> masterOptions() {
        List<String> options = new ArrayList<>(JvmCommand.MASTER_OPTIONS);
        options.addAll(JvmCommand.tuning(Runtime.version()));
        return JvmOptions.yieldTo(options, command.jvmOptions());
    }

    /** Every option of a drover-started master's command but the archive's: the key of its archive. */
    private List<String> masterCommandOptions() {
        List<String> options = masterOptions();
        options.add(JvmCommand.MASTER_OPTIONS_END);
        options.addAll(command.jvmOptions());
        return options;
    }

    private static Map<String, String> baseEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove(Environment.ROLE);
        env.remove(Environment.REPORT);
        env.remove(Environment.GROUP);
        env.remove(Environment.WORKER_ID);
        env.remove(Environment.USER);
        env.remove(Environment.USER_GROUP);
        env.remove(Environment.TITLE);
        env.remove(Environment.STOP_TIMEOUT_MILLIS);
        env.remove(Environment.HEARTBEAT_MILLIS);
        env.remove(Environment.MAX_REQUESTS);
        env.remove("LISTEN_PID"); // systemd's sockets are the master's alone
        env.remove("LISTEN_FDS");
        env.remove("LISTEN_FDNAMES");
        // the pid systemd started, whose watchdog it is: a master drover starts (start -d's daemon,
        // a restart's successor) feeds it once it says MAINPID, and would not with a pid not its own
        env.remove("WATCHDOG_PID");
        env.put(Environment.SR_SIGNUM, "39");
        return env;
    }
}
