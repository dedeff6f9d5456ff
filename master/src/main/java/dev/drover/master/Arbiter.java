package dev.drover.master;

import dev.drover.master.os.ExitStatus;
import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import dev.drover.master.os.Received;
import dev.drover.master.os.Signals;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import sun.misc.Signal;

/**
 * The master's supervisor loop, in gunicorn's shape: wait for an event (a signal, a worker's
 * message, an operator's command), reap the dead, enforce deadlines, keep every slot filled and
 * move a reload along. Signal handlers only enqueue and wake the loop; this one thread acts.
 */
public final class Arbiter {
    private static final List<String> STOP_SIGNALS = List.of("INT", "TERM", "HUP", "TSTP");
    /** The status -XX:+ExitOnOutOfMemoryError ends a JVM with. */
    private static final int OUT_OF_MEMORY = 3;
    private static final List<String> OTHER_SIGNALS = List.of("WINCH", "USR1", "USR2", "IO", "ABRT", "TTIN", "TTOU", "CHLD");
    /**
     * Stop signals a master takes back when it inherited them ignored, which only one started in the
     * foreground can (drover starts daemons and successors with every signal at its default): a
     * shell without job control ignores SIGINT in its background jobs ({@code app start &} in a
     * script), and an operator's {@code kill -INT} must stop it as it stops Workerman, nginx or
     * gunicorn. SIGHUP stays as inherited: ignored, it is {@code nohup}'s request to outlive the terminal.
     */
    private static final List<String> TAKEN_BACK = List.of("INT", "TERM");
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);
    /** A worker that has not reported READY this long after its spawn is killed (and respawned with backoff). */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** At the start, how long a group's first worker starts alone at most ({@link #firstAloneUntil}). */
    static final Duration FIRST_ALONE = Duration.ofSeconds(1);
    /** How long, at most, the other groups wait at the start for the shared state's ({@link #waitsForSharedState}). */
    static final Duration SHARED_STATE_FIRST = Duration.ofSeconds(15);
    /**
     * A retired worker's connections are told to end over this long (2 ms apart at most), not at
     * once: its replacement's cold JVM then takes its clients over a second rather than in one burst.
     */
    static final Duration RETIRE_SPREAD = Duration.ofSeconds(1);
    /** The most listeners a worker may lend; more is abuse. */
    static final int MAX_LENT = 64;
    /** A worker's channel is read with recvmsg (native memory each time), this much at once. */
    private static final int CHANNEL_READ_BYTES = 64 * 1024;
    private static final int[] NO_FDS = new int[0];
    /** How long a restart waits for the new master's workers. */
    static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(180);
    private static final long SECOND = 1_000_000_000L;

    private static volatile Arbiter current;

    private final AppSpec app;
    private final Os os;
    private final LogFile log;
    private final PidFile pidFile;
    private final Listeners listeners;
    private final Spawner spawner;
    private final OperatorSocket operator;
    private final MasterHooks hooks;
    private final ClassPathWatch watch;
    private final boolean attachedToTerminal;
    private final int pid;
    private final Instant startedAt = Instant.now();
    private final List<Group> groups = new ArrayList<>();
    private final List<WorkerProcess> live = new ArrayList<>();
    private final Queue<String> pendingSignals = new ConcurrentLinkedQueue<>();
    private final Queue<String> pendingCommands = new ConcurrentLinkedQueue<>();
    /** The loop's wake-up socket pair; signal handlers and other threads write to {@code wake[1]} while {@link #wakeOpen}. */
    private final int[] wake;
    /**
     * Guards {@link #wakeOpen}: a signal after the master closed the pair (a dumper's SIGCHLD, a
     * second Ctrl-C) writes nothing, and not into a descriptor reused by then.
     */
    private final Object wakeLock = new Object();
    private boolean wakeOpen = true;
    private final byte[] buffer = new byte[CHANNEL_READ_BYTES];
    private final List<Query> queries = new ArrayList<>();
    private final RequestRates requestRates = new RequestRates();
    private final List<Reply> stopWaiters = new ArrayList<>();
    private Reply startupReport;
    private boolean started;
    /** When (System.nanoTime) this master began: its other groups wait for the shared state's from then ({@link #waitsForSharedState}). */
    private final long bornNanos = System.nanoTime();
    private boolean startFailed;
    private boolean stopping;
    private boolean stopGraceful;
    /** When (System.nanoTime) a graceful stop's waiters are next told which workers it waits for. */
    private long nextStopProgressNanos;
    private Reload reload;
    /** Workers that asked to be replaced (maxRequests, maxMemory) while a reload ran: replaced after it. */
    private final Deque<WorkerProcess> recycles = new ArrayDeque<>();
    private final WorkerHealth health;
    /** PID 1: unknown zombie children and when they were first seen. */
    private final Map<Integer, Long> zombiesSince = new HashMap<>();
    private long nextWatchCheck;
    private final SystemdNotifier systemd;
    /** Whether the pid file and the operator socket are this master's (a successor's only after takeover). */
    private boolean ownsFiles;
    /** A restart in progress: the successor master this one started, or null. */
    private Upgrade upgrade;
    /** The master this one took over from (a restart's successor is its child), 0 for none: stopped with this one while it drains. */
    private final int predecessor;
    /** A restart's new master told to stop with this one, before it took over: this master exits after it. 0: none. */
    private int abandonedSuccessor;
    private long abandonedKillAtNanos;
    /** JVMs started to learn why a worker could not start ({@link JvmCheck}), until reaped. */
    private final List<JvmCheck> jvmChecks = new ArrayList<>();
    /** Children that are not workers (a failed successor) to reap. */
    private final List<Integer> otherChildren = new ArrayList<>();

    /** The successor started by {@code restart}, its report channel and the CLI waiting for it. */
    private static final class Upgrade {
        final int pid;
        final int fd;
        final Reply reply;
        final boolean graceful;
        final long deadlineNanos;
        /** The second try, after a class archive crashed the first. */
        final boolean again;
        final LineBuffer lines = new LineBuffer(1 << 20);

        Upgrade(int pid, int fd, Reply reply, boolean graceful, long deadlineNanos, boolean again) {
            this.pid = pid;
            this.fd = fd;
            this.reply = reply;
            this.graceful = graceful;
            this.deadlineNanos = deadlineNanos;
            this.again = again;
        }
    }
    private long nextWatchdog;

    /**
     * @param startupReport where a daemon tells the starting CLI that every worker is ready, or null
     * @param watch the class path to watch for changes ({@code start --watch}), or null
     * @param successor whether this master was started by a running one on {@code restart}: it
     *     takes the pid file and operator socket only once its workers are ready
     */
    public Arbiter(AppSpec app, Os os, LogFile log, PidFile pidFile, Listeners listeners, Spawner spawner,
                   int operatorFd, Reply startupReport, ClassPathWatch watch, boolean successor) {
        this.app = app;
        this.os = os;
        this.health = new WorkerHealth(os);
        this.log = log;
        this.pidFile = pidFile;
        this.listeners = listeners;
        this.spawner = spawner;
        this.operator = new OperatorSocket(os, operatorFd);
        this.startupReport = startupReport;
        this.watch = watch;
        this.hooks = app.hooksOrNone();
        this.pid = os.getpid();
        this.attachedToTerminal = os.isTerminal(0) || os.isTerminal(1) || os.isTerminal(2);
        this.systemd = new SystemdNotifier(os);
        this.ownsFiles = !successor;
        this.predecessor = successor ? os.getppid() : 0;
        this.wake = os.socketPair();
        os.setNonBlocking(wake[0], true);
        os.setNonBlocking(wake[1], true);
        app.groups().forEach(spec -> groups.add(new Group(spec)));
        groups.forEach(g -> g.slots.forEach(slot -> slot.lent.putAll(listeners.takeLent(g.spec.index(), slot.id))));
        listeners.closeUntakenLent(); // a restart's old workers beyond this code's counts
    }

    /**
     * Asks the running master in this JVM to run an operator command ({@code stop}, {@code stop -g},
     * {@code reload}, {@code reload -g}), from any thread; false when this JVM runs no master.
     */
    public static boolean request(String command) {
        Arbiter arbiter = current;
        if (arbiter == null) {
            return false;
        }
        arbiter.pendingCommands.add(command);
        arbiter.wakeUp();
        return true;
    }

    /** Writes an application's line to the running master's log (Worker.log in the master); false when this JVM runs no master. */
    public static boolean logForApplication(String message) {
        Arbiter arbiter = current;
        if (arbiter == null) {
            return false;
        }
        arbiter.log(message);
        return true;
    }

    /** Runs until the master stopped; returns the master's exit code. */
    public int run() {
        current = this;
        spawner.startedMaster(JvmCommand.ownMasterOptions(), pid);
        try {
            return loop();
        } catch (RuntimeException | Error bug) {
            log("drover[" + app.name() + "] master failed, killing its workers: " + trace(bug));
            live.forEach(w -> os.kill(w.pid, Signals.number("KILL")));
            return finish(ExitCodes.FAILED, "drover[" + app.name() + "] master failed: " + bug);
        } finally {
            current = null;
        }
    }

    private int loop() {
        installSignals();
        while (true) {
            waitForEvents(timeoutMillis());
            handleSignals();
            String command;
            while ((command = pendingCommands.poll()) != null) {
                command(command, Reply.none(os));
            }
            reap();
            long now = System.nanoTime();
            enforceKillDeadlines(now);
            completeQueries(now);
            if (stopping) {
                if (live.isEmpty() && !waitingForAbandonedSuccessor(now)) {
                    return finish(startFailed ? ExitCodes.FAILED : ExitCodes.OK, null);
                }
                tellWhatTheStopWaitsFor(now);
                Optional<String> failure = stopFailure(now);
                if (failure.isPresent()) {
                    live.stream().filter(w -> w.group.sharedState()).forEach(w -> stopWorker(w, false, ownsFiles)); // not left waiting for the stuck
                    return finish(ExitCodes.FAILED, failure.get());
                }
            } else {
                manage(now);
                replaceHung(now);
                recycleOverMemory(now);
                recycleAgain(now);
                advanceReload();
                checkStarted();
                checkWatch(now);
            }
            if (systemd.watchdogIntervalNanos() > 0 && now - nextWatchdog >= 0) {
                systemd.watchdog();
                nextWatchdog = now + systemd.watchdogIntervalNanos();
            }
        }
    }

    // ---- signals ----

    private void installSignals() {
        for (String name : TAKEN_BACK) {
            // HotSpot installs no handler for an ignored signal. Until Signal.handle below, this one
            // would end the master at once; its workers follow, their control sockets closed.
            if (os.defaultIfIgnored(Signals.number(name))) {
                log("SIG" + name + " was ignored when the master started (a background job of a script?); it stops the master");
            }
        }
        for (String name : STOP_SIGNALS) {
            Signal.handle(new Signal(name), s -> enqueue(name));
        }
        for (String name : OTHER_SIGNALS) {
            Signal.handle(new Signal(name), s -> enqueue(name));
        }
        Signal.handle(new Signal("PIPE"), sun.misc.SignalHandler.SIG_IGN);
    }

    private void enqueue(String signal) {
        pendingSignals.add(signal);
        wakeUp();
    }

    private void wakeUp() {
        synchronized (wakeLock) {
            if (wakeOpen) {
                os.write(wake[1], new byte[] {1}, 0, 1); // a full pair (-1) wakes the loop all the same
            }
        }
    }

    private void handleSignals() {
        String signal;
        while ((signal = pendingSignals.poll()) != null) {
            switch (signal) {
                case "INT", "TERM", "HUP", "TSTP" -> {
                    log("received SIG" + signal);
                    beginStop(false);
                }
                case "WINCH" -> {
                    // A terminal's resize sends WINCH to its foreground process: only a detached master stops.
                    if (!attachedToTerminal) {
                        log("received SIGWINCH");
                        beginStop(true);
                    }
                }
                case "USR1" -> startReload(false, Reply.none(os));
                case "USR2" -> startReload(true, Reply.none(os));
                case "IO" -> startQuery(ControlMessage.CONNECTIONS, false, null);
                case "ABRT" -> startQuery(ControlMessage.STATUS, false, null); // Workerman's SIGIOT (the same signal): status, into the log
                case "TTIN" -> resizeAll(+1);
                case "TTOU" -> resizeAll(-1);
                default -> {
                    // CHLD: reaping follows in the loop
                }
            }
        }
    }

    /** {@code scale NAME COUNT}: the new count of every group so named; workers start or stop in the loop, ids stay 0..count-1. */
    private void scale(List<String> words, Reply reply) {
        List<Group> named = words.size() == 3 ? groups.stream().filter(g -> g.spec.name().equals(words.get(1))).toList() : List.of();
        int count = words.size() == 3 && words.get(2).matches("\\d{1,6}") ? Integer.parseInt(words.get(2)) : 0;
        if (named.isEmpty() || count < 1) {
            reply.err("drover[" + app.name() + "] scale needs a worker group's name and a count of at least 1 (groups: "
                    + String.join(", ", groups.stream().map(g -> g.spec.name()).toList()) + "); got '" + String.join(" ", words) + "'");
            reply.exit(ExitCodes.USAGE);
            return;
        }
        if (stopping) {
            reply.err("drover[" + app.name() + "] is stopping; scale ignored");
            reply.exit(ExitCodes.FAILED);
            return;
        }
        for (Group group : named) {
            int before = group.count;
            group.resize(count);
            String line = "worker[" + group.spec.name() + "] count is now " + group.count + " (scale, was " + before + ")";
            log(line);
            reply.out(line);
        }
        reply.exit(ExitCodes.OK);
    }

    private void resizeAll(int delta) {
        if (stopping) {
            return;
        }
        for (Group group : groups) {
            group.resize(group.count + delta);
            log("worker[" + group.spec.name() + "] count is now " + group.count + " (SIG" + (delta > 0 ? "TTIN" : "TTOU") + ")");
        }
    }

    // ---- waiting ----

    private int timeoutMillis() {
        long now = System.nanoTime();
        long next = now + SECOND;
        for (WorkerProcess worker : live) {
            if (worker.killAtNanos != 0 && worker.killedAtNanos == 0) {
                next = Math.min(next, worker.killAtNanos);
            }
            if (worker.killedAtNanos != 0 && stopping) {
                next = Math.min(next, worker.killedAtNanos + KILL_GRACE.toNanos());
            }
            if (worker.state() == WorkerProcess.State.SPAWNED) {
                next = Math.min(next, worker.spawnedAtNanos + READY_TIMEOUT.toNanos());
            }
        }
        for (Query query : queries) {
            next = Math.min(next, query.deadlineNanos);
        }
        if (!stopping) {
            next = Math.min(next, health.nextDeadline(live, now));
        }
        if (systemd.watchdogIntervalNanos() > 0) {
            next = Math.min(next, nextWatchdog);
        }
        if (!stopping) {
            for (Group group : groups) {
                OptionalLong alone = firstAloneUntil(group);
                boolean waiting = waitsForSharedState(group, now); // until a READY comes in, or a second passes
                for (Slot slot : group.slots) {
                    if (slot.process == null && group.wanted(slot) && !waiting) {
                        next = Math.min(next, spawnAt(slot, alone));
                    }
                }
            }
        }
        return (int) Math.max(0, (next - now + 999_999) / 1_000_000);
    }

    private void waitForEvents(int timeoutMillis) {
        List<Integer> fds = new ArrayList<>();
        fds.add(wake[0]);
        fds.addAll(operator.pollFds());
        int operatorCount = fds.size() - 1;
        List<WorkerProcess> listening = live.stream().filter(w -> w.channelFd() >= 0).toList();
        listening.forEach(w -> fds.add(w.channelFd()));
        Upgrade polledUpgrade = upgrade;
        if (polledUpgrade != null) {
            fds.add(polledUpgrade.fd);
        }
        int[] array = fds.stream().mapToInt(Integer::intValue).toArray();
        boolean[] ready = new boolean[array.length];
        if (os.poll(array, ready, timeoutMillis) == 0) {
            return;
        }
        if (ready[0]) {
            while (os.read(wake[0], buffer) > 0) {
                // drained; the signals themselves are in pendingSignals
            }
        }
        operator.handle(ready, 1, this::command);
        for (int i = 0; i < listening.size(); i++) {
            if (ready[1 + operatorCount + i]) {
                readChannel(listening.get(i));
            }
        }
        if (polledUpgrade != null && ready[array.length - 1] && upgrade == polledUpgrade) {
            readUpgrade();
        }
    }

    // ---- commands ----

    private void command(String line, Reply reply) {
        List<String> words = List.of(line.split(" +"));
        boolean json = words.contains("--json");
        boolean graceful = words.contains("-g") || words.contains("--graceful");
        switch (words.get(0)) {
            case "status" -> startQuery(ControlMessage.STATUS, json, reply);
            case "connections" -> startQuery(ControlMessage.CONNECTIONS, json, reply);
            case "stop" -> {
                reply.out("drover[" + app.name() + "] is stopping" + (graceful ? " gracefully" : "") + " ...");
                stopWaiters.add(reply);
                beginStop(graceful);
            }
            case "reload" -> startReload(graceful, reply);
            case "upgrade" -> startUpgrade(graceful, reply, false);
            case "scale" -> scale(words, reply);
            default -> {
                reply.err("drover: the master does not know the command '" + line + "'");
                reply.exit(ExitCodes.USAGE);
            }
        }
    }

    // ---- workers ----

    private void manage(long now) {
        for (Group group : groups) {
            for (Slot slot : List.copyOf(group.slots)) {
                WorkerProcess worker = slot.process;
                if (!group.wanted(slot)) {
                    if (worker != null && worker.state() != WorkerProcess.State.STOPPING) {
                        stopWorker(worker, false);
                    }
                } else if (worker == null && !stopping && now - spawnAt(slot, firstAloneUntil(group)) >= 0 && !waitsForSharedState(group, now)) {
                    spawn(slot); // the group's first-alone time asked per slot: a spawn just now changes it
                }
            }
            group.trim().forEach(this::closeLent);
        }
    }

    /**
     * Whether {@code group}'s workers wait, at the start (a restart's new master's too), for the
     * groups holding what the others share (the embedded ChannelServer, {@link GroupSpec#sharedState})
     * to be ready, up to {@link #SHARED_STATE_FIRST}: an onWorkerStart that uses GlobalData or Channel
     * finds it answering. Started side by side on a busy host, the server's JVM could come up after a
     * GlobalData command's 5 s, and the worker's start failed.
     */
    private boolean waitsForSharedState(Group group, long now) {
        if (started || group.spec.sharedState() || now - bornNanos >= SHARED_STATE_FIRST.toNanos()) {
            return false;
        }
        return groups.stream().filter(g -> g.spec.sharedState()).flatMap(g -> g.slots.stream())
                .anyMatch(s -> s.process == null || s.process.state() != WorkerProcess.State.READY);
    }

    /** When (System.nanoTime) a slot's worker may be spawned: its own time, or later while its group's first starts {@code alone}. */
    private static long spawnAt(Slot slot, OptionalLong alone) {
        long notBefore = slot.notBeforeNanos;
        return alone.isPresent() && alone.getAsLong() - notBefore > 0 ? alone.getAsLong() : notBefore;
    }

    /**
     * Until when (System.nanoTime) a group's other workers wait for its first at the start: until
     * one of them is ready, or {@link #FIRST_ALONE} after the first was spawned. JVMs that start side
     * by side on a few cores each take longer, and the group's first answer waits for its first
     * worker: Hello's two workers on 2 cores, a deploy's first start, first answer ~510-610 -> ~400
     * ms. After the start (and for a group none of whose workers runs yet), nothing waits: empty.
     */
    private OptionalLong firstAloneUntil(Group group) {
        if (started) {
            return OptionalLong.empty();
        }
        OptionalLong first = OptionalLong.empty();
        for (Slot slot : group.slots) {
            WorkerProcess worker = slot.process;
            if (worker == null) {
                continue;
            }
            if (worker.state() == WorkerProcess.State.READY) {
                return OptionalLong.empty();
            }
            if (first.isEmpty() || worker.spawnedAtNanos - first.getAsLong() < 0) {
                first = OptionalLong.of(worker.spawnedAtNanos);
            }
        }
        return first.isEmpty() ? first : OptionalLong.of(first.getAsLong() + FIRST_ALONE.toNanos());
    }

    private void spawn(Slot slot) {
        int[] pair;
        try {
            pair = os.socketPair();
        } catch (OsException e) {
            log("cannot spawn worker " + slot.group.name() + " id " + slot.id + ": " + e.getMessage() + "; retrying in 1 s");
            slot.notBeforeNanos = System.nanoTime() + SECOND;
            return;
        }
        int child;
        try {
            child = spawner.spawnWorker(slot.group, slot.id, listeners.addressOf(slot.group), pair[1]);
        } catch (RuntimeException e) {
            os.close(pair[0]);
            String problem = "cannot spawn worker " + slot.group.name() + " id " + slot.id + ": " + e.getMessage();
            if (!started && startupReport != null) {
                startFailed = true;
                log(problem);
                startupReport.err("drover[" + app.name() + "] start failed: " + problem);
                beginStop(false);
                return;
            }
            log(problem + "; retrying in 1 s");
            slot.notBeforeNanos = System.nanoTime() + SECOND;
            return;
        } finally {
            os.close(pair[1]);
        }
        WorkerProcess worker = new WorkerProcess(slot.group, slot.id, child, pair[0], System.nanoTime());
        slot.process = worker;
        live.add(worker);
        int[] fds = listeners.fdsFor(slot.group);
        try {
            WorkerHandoff.send(os, pair[0], fds, balancePage(slot.group), slot.lent);
            os.setNonBlocking(pair[0], true);
        } catch (OsException e) {
            log(worker + " cannot be handed its sockets: " + e.getMessage() + "; killing it (SIGKILL)");
            os.kill(child, Signals.number("KILL"));
        }
    }

    /** The group's balance page, or -1 (logged) when the kernel would not make one: its workers then accept as they come. */
    private int balancePage(GroupSpec group) {
        try {
            return listeners.balanceFor(group);
        } catch (OsException e) {
            log("group " + group.name() + " gets no balance page: " + e.getMessage()
                    + "; its workers take connections without regard to each other's until a respawn gets one");
            return -1;
        }
    }

    /**
     * Reads a worker's messages. A broken channel (ECONNRESET when a worker dies with unread
     * messages) counts as its end; one worker's trouble never leaves this method. A channel is read
     * with recvmsg: each listener a worker lends comes as a descriptor on a one-byte message, which
     * ends the read it comes in, before its {@code listener} line; it waits for that line after the
     * lines read with it.
     */
    private void readChannel(WorkerProcess worker) {
        int count;
        int[] fds = NO_FDS;
        List<String> lines;
        try {
            Received received = os.receiveWithFds(worker.channelFd(), CHANNEL_READ_BYTES, 1);
            fds = received.fds();
            count = copyReceived(received);
            lines = count > 0 ? worker.lines.add(buffer, count) : List.of();
        } catch (OsException broken) {
            count = 0;
            lines = List.of();
        } catch (IllegalStateException oversized) {
            killForChannelAbuse(worker, "sent a control line over " + WorkerProcess.MAX_LINE + " bytes");
            closeAll(fds);
            return;
        }
        if (count == 0) {
            os.close(worker.channelFd());
            worker.channelClosed();
            closeArrived(worker);
            return;
        }
        long now = System.nanoTime();
        for (String line : lines) {
            String abuse = !ControlMessage.wellFormed(line) ? "sent garbage on its control channel: " + abbreviate(line)
                    : worker.flooding(now) ? "sent over " + WorkerProcess.MAX_MESSAGES_PER_SECOND + " control messages in a second" : null;
            if (abuse != null) {
                killForChannelAbuse(worker, abuse);
                closeAll(fds);
                return;
            }
            try {
                handleMessage(worker, line);
            } catch (RuntimeException bad) {
                log(worker + " sent a control message the master could not handle (" + bad + "): " + abbreviate(line));
            }
        }
        for (int fd : fds) {
            worker.arrivedFds.add(fd);
        }
        if (worker.arrivedFds.size() > MAX_LENT) {
            killForChannelAbuse(worker, "sent over " + MAX_LENT + " descriptors");
        }
    }

    /**
     * Copies what a worker's recvmsg read into the buffer, without the byte that carried
     * descriptors (the last of the read, whatever its value). Returns the bytes copied, -1 for none,
     * 0 at the end of the stream.
     */
    private int copyReceived(Received received) {
        if (received.wouldBlock()) {
            return -1;
        }
        boolean carried = received.fds().length > 0;
        int count = received.data().length - (carried ? 1 : 0);
        System.arraycopy(received.data(), 0, buffer, 0, Math.max(0, count));
        return carried && count <= 0 ? -1 : count;
    }

    private void closeAll(int[] fds) {
        for (int fd : fds) {
            os.close(fd);
        }
    }

    /**
     * A worker lends a listener it bound itself (as it gets ready, or at a later listen()): the
     * master keeps the descriptor in the worker's slot ({@link Slot#lent}) for the slot's next
     * worker, a copy of the same socket as the one it had (a respawn's, a replacement's); one that
     * comes otherwise (from a worker no longer in its slot, or past {@link #MAX_LENT}) is closed.
     */
    private void onListener(WorkerProcess worker, String key) {
        Integer fd = worker.arrivedFds.poll();
        if (fd == null) {
            log(worker + " lent a listener (" + key + ") without its descriptor");
            return;
        }
        Slot slot = slotOf(worker);
        if (stopping || slot == null || worker.lentKeys.size() >= MAX_LENT && !worker.lentKeys.contains(key)) {
            os.close(fd); // stopping: the listeners close (beginStop), so that new clients are refused
            return;
        }
        worker.lentKeys.add(key);
        Integer before = slot.lent.put(key, fd);
        if (before != null) {
            os.close(before);
        }
    }

    /** The worker's descriptors that no {@code listener} line claimed (it is gone): closed. */
    private void closeArrived(WorkerProcess worker) {
        for (Integer fd = worker.arrivedFds.poll(); fd != null; fd = worker.arrivedFds.poll()) {
            os.close(fd);
        }
    }

    /**
     * A worker is ready, having lent what it listens on: the copies its slot held of sockets it
     * did not take (the new code listens elsewhere) are closed.
     */
    private void keepOnlyLentBy(WorkerProcess worker, Slot slot) {
        slot.lent.entrySet().removeIf(lent -> {
            boolean stale = !worker.lentKeys.contains(lent.getKey());
            if (stale) {
                os.close(lent.getValue());
            }
            return stale;
        });
    }

    /** Closes the master's copies of the listeners lent in {@code slot}: the slot is gone, its new worker failed with them, or the master exits. */
    private void closeLent(Slot slot) {
        slot.lent.values().forEach(os::close);
        slot.lent.clear();
    }

    /**
     * A worker that breaks the control protocol (garbage, a flood, a line too long) is killed and
     * replaced: the master stops reading it, so whatever it sends cannot cost the master more.
     */
    private void killForChannelAbuse(WorkerProcess worker, String what) {
        log(worker + " id " + worker.id + " " + what + "; killing it (SIGKILL)");
        os.kill(worker.pid, Signals.number("KILL"));
        os.close(worker.channelFd());
        worker.channelClosed();
        worker.lines.clear();
        closeArrived(worker);
    }

    private static String abbreviate(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private void handleMessage(WorkerProcess worker, String line) {
        ControlMessage message = ControlMessage.decode(line);
        switch (message.type()) {
            case ControlMessage.READY -> onReady(worker);
            case ControlMessage.LOG -> log.write(worker.pid, message.argument());
            case ControlMessage.FAIL -> worker.failed(message.argument());
            case ControlMessage.STOPPING -> {
                if (worker.state() == WorkerProcess.State.SPAWNED || worker.state() == WorkerProcess.State.READY) {
                    worker.moveTo(WorkerProcess.State.STOPPING);
                    worker.graceful = true; // it leaves on its own: no deadline until the master asks it to stop
                } else if (worker.retiring) {
                    worker.leaving = true; // a signal sent to it directly: should its replacement fail, it is not resumed
                }
            }
            case ControlMessage.DRAINING -> onDraining(worker);
            case ControlMessage.LISTENER -> onListener(worker, message.argument());
            case ControlMessage.STATUS, ControlMessage.CONNECTIONS ->
                    queries.forEach(q -> q.answer(worker, message.type(), message.argument()));
            case ControlMessage.BEAT -> worker.lastBeatNanos = System.nanoTime();
            case ControlMessage.RECYCLE -> recycle(worker, "served " + message.argument() + " messages, its maxRequests");
            case ControlMessage.COMMAND -> {
                log(worker + " asks the master to " + message.argument());
                command(message.argument(), Reply.none(os));
            }
            default -> log(worker + " sent an unknown control message: " + abbreviate(line));
        }
    }

    /**
     * A worker that a reload replaces has retired (and lent what it had to lend before): its
     * replacement starts now, while it serves on (and then finishes its connections), so a reload
     * costs one worker start per worker, not a start and a drain. (An older worker that never says
     * so is replaced when it exits.)
     */
    private void onDraining(WorkerProcess worker) {
        Slot slot = reload == null ? null : reload.current;
        if (slot == null || slot.process != worker || slot.replacing != worker.pid) {
            return;
        }
        slot.process = null;
        slot.notBeforeNanos = System.nanoTime();
        reload.draining.add(worker);
    }

    private void onReady(WorkerProcess worker) {
        if (worker.state() != WorkerProcess.State.SPAWNED) {
            return;
        }
        worker.moveTo(WorkerProcess.State.READY);
        worker.lastBeatNanos = System.nanoTime();
        long millis = (System.nanoTime() - worker.spawnedAtNanos) / 1_000_000;
        log(worker + " id " + worker.id + " ready in " + millis + " ms");
        spawner.archive().ready(worker.pid);
        Slot slot = slotOf(worker);
        if (slot != null) {
            keepOnlyLentBy(worker, slot);
        }
        if (upgrade != null) { // respawned while a restart's new master starts: its ChannelServer must yield too
            send(worker, ControlMessage.of(ControlMessage.YIELD));
        }
    }

    /** Asks a worker to stop; SIGKILL follows after stopTimeout (graceful: gracefulTimeout, if any). */
    private void stopWorker(WorkerProcess worker, boolean graceful) {
        stopWorker(worker, graceful, false);
    }

    /** @param last whether no worker serves its clients after it (the application stops: {@link ControlMessage#GRACEFUL_LAST}) */
    private void stopWorker(WorkerProcess worker, boolean graceful, boolean last) {
        boolean retiring = worker.retiring;
        worker.retiring = false;
        if (!retiring && worker.state() == WorkerProcess.State.STOPPING && (graceful || !worker.graceful)) {
            return; // already stopping at least as hard as asked
        }
        if (worker.state() != WorkerProcess.State.STOPPING) {
            worker.moveTo(WorkerProcess.State.STOPPING);
        }
        worker.graceful = graceful;
        String argument = !graceful ? "" : last ? ControlMessage.GRACEFUL_LAST : ControlMessage.GRACEFUL;
        if (!send(worker, ControlMessage.of(ControlMessage.STOP, argument))) {
            os.kill(worker.pid, Signals.number(graceful ? "WINCH" : "TERM"));
        }
        long now = System.nanoTime();
        if (!graceful) {
            worker.killAtNanos = now + app.stopTimeout().toNanos();
        } else if (app.gracefulTimeout() != null) {
            worker.killAtNanos = now + app.gracefulTimeout().toNanos();
        }
    }

    /**
     * A reload replaces {@code worker}: it retires (the replacement starts on its {@code draining},
     * with the slot's copies of the listeners the worker bound itself, {@link #onListener}) and
     * serves on, accepting on all of them, until {@link #stopWorker}, once the replacement is ready, the reload ends,
     * or the master stops; or until {@link #resumeRetired}, should the replacement fail. No kill
     * deadline runs meanwhile: a replacement that never gets ready is killed after READY_TIMEOUT,
     * which ends the reload.
     */
    private void retire(WorkerProcess worker, boolean graceful) {
        if (!send(worker, retirement(graceful))) {
            stopWorker(worker, graceful);
            return;
        }
        worker.moveTo(WorkerProcess.State.STOPPING);
        worker.graceful = graceful;
        worker.retiring = true;
    }

    /**
     * The {@code retire} message, with over how long the worker's connections are told to end once
     * its replacement is ready: a second, or half the time its stop may take if that is shorter.
     */
    private ControlMessage retirement(boolean graceful) {
        Duration limit = graceful ? app.gracefulTimeout() : app.stopTimeout();
        long spread = limit == null ? RETIRE_SPREAD.toMillis() : Math.min(RETIRE_SPREAD.toMillis(), limit.toMillis() / 2);
        return ControlMessage.of(ControlMessage.RETIRE, Long.toString(spread));
    }

    /**
     * A reload's replacement in {@code slot} failed: the worker it replaced, retired but still
     * serving, is told so and takes the slot back (so a deploy of code
     * that cannot start leaves every worker serving). Null when there is none to resume (it exited,
     * is leaving on its own, or its channel is gone): the slot then starts the new code again, with
     * backoff. A worn worker (maxRequests, maxMemory) is recycled again after {@code backoff}.
     */
    private WorkerProcess resumeRetired(Slot slot, Duration backoff) {
        WorkerProcess old = live.stream().filter(w -> w.pid == slot.replacing && w.retiring && !w.leaving).findFirst().orElse(null);
        if (old == null || !send(old, ControlMessage.of(ControlMessage.RESUME))) {
            return null;
        }
        long now = System.nanoTime();
        old.resume();
        old.lastBeatNanos = now;
        if (old.recycling) {
            old.recycleAgainAtNanos = now + Math.max(SECOND, backoff.toNanos());
        }
        slot.process = old;
        reload.draining.remove(old);
        return old;
    }

    /**
     * The retiring worker {@code pid} (every one, for 0) is told to stop: its replacement is ready, or
     * the reload ended; {@code reloadHook}: told to run onWorkerReload first.
     */
    private void endRetirements(int pid, boolean graceful, boolean reloadHook) {
        List.copyOf(live).stream().filter(w -> w.retiring && (pid == 0 || w.pid == pid)).forEach(w -> {
            if (reloadHook) {
                send(w, ControlMessage.of(ControlMessage.RELOAD));
            }
            stopWorker(w, graceful);
        });
    }

    /**
     * Writes a command without blocking; false when it could not be (the caller signals instead).
     * A command only partly written leaves the worker's stream cut mid-message: nothing more is
     * written to it, and every later command goes by signal.
     */
    private boolean send(WorkerProcess worker, ControlMessage message) {
        if (!worker.commandable()) {
            return false;
        }
        byte[] bytes = message.encode();
        try {
            int written = os.write(worker.channelFd(), bytes, 0, bytes.length);
            if (written > 0 && written < bytes.length) {
                worker.channelJammed();
                log.write(pid, worker + " does not read its control channel (its buffer is full mid-command);"
                        + " it is commanded by signals from now on");
            }
            return written == bytes.length;
        } catch (OsException gone) {
            return false;
        }
    }

    private void reap() {
        for (WorkerProcess worker : List.copyOf(live)) {
            os.reap(worker.pid).ifPresent(status -> onExit(worker, status));
        }
        otherChildren.removeIf(child -> {
            Optional<ExitStatus> status = os.reap(child);
            status.ifPresent(s -> spawner.archive().exited(child, s)); // a new master that its class archive crashed: the archive goes
            return status.isPresent();
        });
        spawner.archive().reap();
        jvmChecks.removeIf(check -> os.reap(check.pid).map(status -> jvmSaid(check, status)).isPresent());
        if (pid == 1) {
            reapOrphans();
        }
    }

    /**
     * As a container's first process, the master is every orphan's parent (a worker's child that
     * outlived it, say): it reaps them, so they do not pile up as zombies. It leaves its own
     * children (workers, the class archive dump, a successor) to the code that waits for them, and
     * a zombie a second to be reaped by whoever started it (a hook's ProcessBuilder waits for its
     * child itself): only then is it an orphan's, and reaped by pid, never with waitpid(-1).
     */
    private void reapOrphans() {
        Set<Integer> own = new HashSet<>(otherChildren);
        live.forEach(w -> own.add(w.pid));
        jvmChecks.forEach(check -> own.add(check.pid));
        if (upgrade != null) {
            own.add(upgrade.pid);
        }
        long now = System.nanoTime();
        Map<Integer, Long> stillDead = new HashMap<>();
        for (int child : os.children(pid)) {
            if (own.contains(child) || spawner.archive().isDumper(child) || os.isAlive(child)) {
                continue;
            }
            long since = zombiesSince.getOrDefault(child, now);
            if (now - since >= SECOND) {
                os.reap(child).ifPresent(status -> log("reaped orphan pid " + child + " (exit status " + status + ")"));
            } else {
                stillDead.put(child, since);
            }
        }
        zombiesSince.clear();
        zombiesSince.putAll(stillDead);
    }

    private void onExit(WorkerProcess worker, ExitStatus status) {
        if (worker.channelFd() >= 0) {
            drainChannel(worker);
        }
        log(worker + " exit with status " + status);
        if (status.code() == OUT_OF_MEMORY && worker.everReady()) {
            log(worker + " id " + worker.id + " ran out of memory, if 3 is the JVM's -XX:+ExitOnOutOfMemoryError (a worker's default; the stdout "
                    + "file, if set, says 'Terminating due to java.lang.OutOfMemoryError' and which: heap, metaspace): raise that limit with "
                    + "setJvmOptions (-Xmx, -XX:MaxMetaspaceSize), or find what holds the memory");
        }
        boolean archiveCrashedIt = spawner.archive().exited(worker.pid, status);
        if (worker.channelFd() >= 0) {
            os.close(worker.channelFd());
            worker.channelClosed();
        }
        closeArrived(worker);
        boolean asked = worker.state() == WorkerProcess.State.STOPPING;
        worker.moveTo(WorkerProcess.State.EXITED);
        live.remove(worker);
        requestRates.forget(worker.pid);
        Group group = groupOf(worker);
        group.exitCounts.merge(status.toString(), 1, Integer::sum); // "9 (SIGKILL)" is not exit code 9
        Slot slot = slotOf(worker);
        if (slot != null) {
            slot.process = null;
            if (!worker.everReady() && !slot.lent.isEmpty()) {
                // It was handed these (only a ready worker adds to them). It may have bound the address another way (a
                // changed config) and failed against the master's copy: the next one binds it itself, and a worker that
                // holds it (resumed) lends it again.
                log(worker + " exited before it was ready with the listeners its slot kept for it; closing them: " + slot.lent.keySet());
                closeLent(slot);
            }
        }
        callHook("onWorkerExit", () -> hooks.onWorkerExit(worker.group.index(), worker.pid, status));
        if (stopping) {
            stopWorkers(); // the last of the others gone: the shared state's turn
            return;
        }
        if (slot == null) {
            return;
        }
        if (archiveCrashedIt) {
            slot.notBeforeNanos = System.nanoTime(); // again at once, without the archive: no fault of the application's
            return;
        }
        boolean unexplained = !worker.everReady() && worker.failure() == null && status.code() == 1; // its words went to the stdout file
        if (!started && startupReport != null && !worker.everReady() && !asked) { // asked: scaled away while it started
            startFailed = true;
            String reason = worker.failure() != null ? worker.failure() : (unexplained ? jvmSaysNow(worker) : Optional.<String>empty())
                    .orElse("see " + log.path());
            startupReport.err("drover[" + app.name() + "] start failed: " + worker + " (id " + worker.id + ") exited with status "
                    + status + " before it was ready: " + reason);
            beginStop(false);
            return;
        }
        if (unexplained) {
            spawner.checkJvm(worker).ifPresent(jvmChecks::add); // its answer is logged when it is reaped
        }
        Duration lived = Duration.ofNanos(System.nanoTime() - worker.spawnedAtNanos);
        Duration delay = asked ? Duration.ZERO : slot.backoff.next(lived, worker.everReady(), status.killedBySignal() && !status.crashed());
        if (reload != null && reload.current == slot && worker.pid != slot.replacing && !worker.everReady()) {
            String failed = "the new " + worker + " exited with status " + status + " before it was ready"
                    + (worker.failure() != null ? ": " + worker.failure().lines().findFirst().orElse("") : "");
            WorkerProcess old = resumeRetired(slot, delay);
            abortReload(old == null ? failed : failed + "; " + old + " serves on with the code it had");
            if (old != null) {
                return;
            }
        }
        slot.notBeforeNanos = System.nanoTime() + delay.toNanos();
        if (!delay.isZero()) {
            log("worker[" + worker.group.name() + "] id " + worker.id + " died " + lived.toMillis() + " ms after its start; respawning in "
                    + delay.toSeconds() + " s");
        }
    }

    /**
     * What the JVM says of the options {@code worker} started with (a failing start waits for it, up
     * to {@link JvmCheck#PATIENCE}: the master stops anyway), logged too; empty when it starts.
     */
    private Optional<String> jvmSaysNow(WorkerProcess worker) {
        Optional<JvmCheck> check = spawner.checkJvm(worker);
        if (check.isEmpty()) {
            return Optional.empty();
        }
        AtomicReference<Optional<String>> said = new AtomicReference<>();
        Pause.until(() -> os.reap(check.get().pid).map(status -> { said.set(jvmSaid(check.get(), status)); return true; }).orElse(false),
                JvmCheck.PATIENCE, 10);
        if (said.get() == null) {
            check.get().kill(os); // past its patience: reaped with the others
            jvmChecks.add(check.get());
            return Optional.empty();
        }
        return said.get();
    }

    /** What a reaped {@link JvmCheck} found, logged as why its worker could not start. */
    private Optional<String> jvmSaid(JvmCheck check, ExitStatus status) {
        Optional<String> said = check.result(status).map(words -> JvmCheck.workingDirectoryGone() ? JvmCheck.workingDirectoryGoneAdvice(pid)
                : "the JVM would not start with its options (setJvmOptions, JAVA_OPTS): " + words);
        said.ifPresent(why -> log(check.worker + " could not start: " + why));
        return said;
    }

    /** Reads what a dead worker still had in its channel (its last log lines and failure). */
    private void drainChannel(WorkerProcess worker) {
        while (worker.channelFd() >= 0) {
            int before = worker.channelFd();
            if (os.poll(new int[] {before}, new boolean[1], 0) == 0) {
                return;
            }
            readChannel(worker);
        }
    }

    private Group groupOf(WorkerProcess worker) {
        return groups.get(worker.group.index());
    }

    private void enforceKillDeadlines(long now) {
        if (upgrade != null && now - upgrade.deadlineNanos >= 0) {
            os.kill(upgrade.pid, Signals.number("TERM"));
            upgradeFailed("the new master (pid " + upgrade.pid + ") did not become ready within " + UPGRADE_TIMEOUT.toSeconds()
                    + " s; it was told to stop");
        }
        jvmChecks.forEach(check -> check.killIfLate(os, now));
        for (WorkerProcess worker : live) {
            if (worker.state() == WorkerProcess.State.SPAWNED && now - worker.spawnedAtNanos - READY_TIMEOUT.toNanos() >= 0
                    && worker.killedAtNanos == 0) {
                log(worker + " id " + worker.id + " did not become ready within " + READY_TIMEOUT.toSeconds() + " s; sending SIGKILL");
                os.kill(worker.pid, Signals.number("KILL"));
                worker.killedAtNanos = now;
                continue;
            }
            if (worker.killAtNanos != 0 && worker.killedAtNanos == 0 && now - worker.killAtNanos >= 0) {
                long waited = (now - worker.killAtNanos) / 1_000_000 + (worker.graceful
                        ? app.gracefulTimeout().toMillis() : app.stopTimeout().toMillis());
                log(worker + " did not exit within " + waited + " ms; sending SIGKILL");
                os.kill(worker.pid, Signals.number("KILL"));
                worker.killedAtNanos = now;
            }
        }
    }

    private void checkStarted() {
        boolean allReady = groups.stream().allMatch(g -> g.slots.stream().filter(g::wanted)
                .allMatch(s -> s.process != null && s.process.state() == WorkerProcess.State.READY));
        if (started || !allReady) {
            return;
        }
        started = true;
        spawner.archive().ready(pid); // a master that recorded its class list dumps its archive now
        if (!ownsFiles) {
            takeOver();
        }
        int count = groups.stream().mapToInt(g -> g.count).sum();
        log("drover[" + app.name() + "] started: " + count + " workers ready");
        systemd.ready(count + " workers ready");
        if (startupReport != null) {
            startupReport.out("drover[" + app.name() + "] master pid " + pid + ", pid file " + pidFile.path() + ", log " + log.path());
            for (Group group : groups) {
                for (Slot slot : group.slots) {
                    // Not String.format: a Formatter's first use costs the master ~15 ms before "start success".
                    startupReport.out("worker[" + group.spec.name() + ":" + slot.process.pid + "] id " + slot.id + " ready, listening on "
                            + listeners.addressOf(group.spec));
                }
            }
            startupReport.out("drover[" + app.name() + "] start success; stop it with: stop (its pid file: " + pidFile.path() + ")");
            startupReport.exit(ExitCodes.OK);
            startupReport = null;
        }
    }

    // ---- reload ----

    // ---- hung and worn workers ----

    private void replaceHung(long now) {
        for (WorkerProcess worker : health.hung(live, now)) {
            log(worker + " id " + worker.id + " is hung: no heartbeat from its event loop for " + (now - worker.lastBeatNanos) / 1_000_000
                    + " ms (hangTimeout " + worker.group.limits().hangTimeout().toMillis() + " ms); killing it (SIGKILL)"
                    + (worker.retiring ? "; the reload goes on without it" : " and starting another"));
            os.kill(worker.pid, Signals.number("KILL"));
            worker.killedAtNanos = now;
        }
    }

    private void recycleOverMemory(long now) {
        for (WorkerHealth.Worn worn : health.overMemory(live, now)) {
            recycle(worn.worker(), "uses " + worn.rssBytes() / (1024 * 1024) + " MiB, over its maxMemory of "
                    + worn.worker().group.limits().maxMemoryBytes() / (1024 * 1024) + " MiB");
        }
    }

    /** Replaces a worn worker gracefully, one at a time, as a reload of its slot alone would. */
    private void recycle(WorkerProcess worker, String why) {
        if (worker.recycling || worker.state() != WorkerProcess.State.READY || stopping) {
            return;
        }
        worker.recycling = true;
        worker.recycleReason = why;
        log(worker + " id " + worker.id + " " + why + "; replacing it gracefully");
        recycles.add(worker);
        advanceReload();
    }

    /** A worn worker whose replacement failed (it was resumed) is recycled again once its slot's backoff passed. */
    private void recycleAgain(long now) {
        for (WorkerProcess worker : List.copyOf(live)) {
            if (worker.recycleAgainAtNanos != 0 && now - worker.recycleAgainAtNanos >= 0) {
                worker.recycleAgainAtNanos = 0;
                worker.recycling = false;
                recycle(worker, worker.recycleReason + " (again: its last replacement failed)");
            }
        }
    }

    /** Starts the queued recycles, as one graceful reload of their slots, when no reload runs. */
    private void startRecycles() {
        List<Slot> slots = new ArrayList<>();
        for (WorkerProcess worker; (worker = recycles.poll()) != null; ) {
            Slot slot = slotOf(worker);
            if (slot != null && worker.state() == WorkerProcess.State.READY) {
                slots.add(slot);
            }
        }
        if (!slots.isEmpty()) {
            reload = Reload.recycling(slots);
        }
    }

    private Slot slotOf(WorkerProcess worker) {
        return groupOf(worker).slots.stream().filter(s -> s.process == worker).findFirst().orElse(null);
    }

    private void startReload(boolean graceful, Reply reply) {
        if (stopping) {
            reply.err("drover[" + app.name() + "] is stopping; reload ignored");
            reply.exit(ExitCodes.FAILED);
            return;
        }
        if (upgrade != null || !ownsFiles) {
            // The new master starts the code on disk anyway; a reload here would replace workers this master is about to stop,
            // and its end would tell systemd this master is the service's again, after the new one took over.
            String why = upgrade != null ? "a restart is in progress: its new master (pid " + upgrade.pid + ") starts the code on disk"
                    : "this master is not the application's one now (a restart's: the old master hands over, or the new one takes over)";
            log("reload ignored: " + why);
            reply.err("drover[" + app.name() + "] " + why + "; this reload is ignored");
            reply.exit(ExitCodes.FAILED);
            return;
        }
        if (JvmCheck.workingDirectoryGone()) {
            refuseInDeletedDirectory("reload", reply);
            return;
        }
        endDrainingReload("reload");
        if (reload != null && !reload.recycle) {
            log("reload ignored: a reload is in progress (" + reload.progress() + ")");
            reply.err("drover[" + app.name() + "] a reload is in progress (" + reload.progress() + "); this one is ignored");
            reply.exit(ExitCodes.FAILED);
            return;
        }
        log("drover[" + app.name() + "] reloading" + (graceful ? " gracefully" : ""));
        systemd.reloading();
        callHook("onMasterReload", hooks::onMasterReload);
        List<Slot> reloadable = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        long now = System.nanoTime();
        for (Group group : groups) {
            int count = hooks.count(group.spec.index());
            if (count != group.appCount) {
                group.appCount = count; // onMasterReload changed it; TTIN/TTOU scaling stays otherwise
                group.resize(count);
            }
            for (Slot slot : group.slots) {
                WorkerProcess worker = slot.process;
                if (worker == null && group.wanted(slot) && slot.notBeforeNanos - now > 0) {
                    slot.notBeforeNanos = now; // its backoff waited out a crash of the code this reload replaces
                    waiting.add(group.spec.name() + " id " + slot.id);
                }
                if (worker == null || worker.state() != WorkerProcess.State.READY || !group.wanted(slot)) {
                    continue;
                }
                if (group.spec.reloadable()) {
                    reloadable.add(slot);
                } else {
                    send(worker, ControlMessage.of(ControlMessage.RELOAD));
                }
            }
        }
        Reload recycling = reload;
        if (recycling != null) { // the worker being recycled finishes its replacement first
            reloadable.remove(recycling.current);
        }
        reload = new Reload(graceful, reloadable);
        if (recycling != null) {
            reload.current = recycling.current;
            reload.draining.addAll(recycling.draining);
        }
        reload.waiters.add(reply);
        int replacing = reload.pending.size() + (reload.current != null ? 1 : 0); // with a recycle's worker it took over
        reply.out("drover[" + app.name() + "] reloading " + replacing + " workers" + (graceful ? " gracefully" : "") + " ...");
        if (!waiting.isEmpty()) {
            String respawning = "drover[" + app.name() + "] starting now, not after its respawn backoff, with the code on disk: " + String.join(", ", waiting);
            log(respawning);
            reply.out(respawning);
        }
        advanceReload();
    }

    private void advanceReload() {
        if (reload == null && !stopping) {
            startRecycles();
        }
        if (reload == null) {
            return;
        }
        Slot slot = reload.current;
        if (slot != null && !groups.get(slot.group.index()).wanted(slot)) {
            endRetirements(slot.replacing, reload.graceful, false);
            slot.replacing = 0; // scaled away (TTOU) while being replaced: nothing to wait for
            reload.current = null;
            slot = null;
        }
        if (slot != null) {
            WorkerProcess replacement = slot.process;
            if (replacement == null || replacement.pid == slot.replacing || replacement.state() != WorkerProcess.State.READY) {
                return;
            }
            // Workerman runs onWorkerReload in a reloadable worker too, just before it goes (not for a recycle)
            endRetirements(slot.replacing, reload.graceful, !reload.recycle);
            reload.replaced++;
            slot.replacing = 0;
            reload.current = null;
        }
        while (reload.current == null && !reload.pending.isEmpty()) {
            Slot next = reload.pending.poll();
            WorkerProcess old = next.process;
            if (old != null && old.state() == WorkerProcess.State.READY) {
                next.replacing = old.pid;
                reload.current = next;
                retire(old, reload.graceful);
            }
        }
        reload.draining.removeIf(w -> w.state() == WorkerProcess.State.EXITED);
        tellWhatTheReloadWaitsFor();
        if (reload.current == null && reload.draining.isEmpty() && reload.recycle) {
            log("drover[" + app.name() + "] recycled " + reload.replaced + (reload.replaced == 1 ? " worker" : " workers"));
            reload = null;
            advanceReload();
        } else if (reload.current == null && reload.draining.isEmpty()) {
            finishReload("");
        }
    }

    /**
     * A reload whose replacements are all ready but whose old workers still let their clients
     * finish (reload -g, raw protocols: as long as the clients stay) says so every 10 s, naming
     * them, so that its operator knows what it waits for and that a new deploy would not.
     */
    private void tellWhatTheReloadWaitsFor() {
        long now = System.nanoTime();
        if (reload.recycle || reload.current != null || !reload.pending.isEmpty() || reload.draining.isEmpty()
                || now - reload.nextProgressNanos < 0) {
            return;
        }
        reload.nextProgressNanos = now + 10 * SECOND;
        String pids = pids(reload.draining);
        String waiting = "drover[" + app.name() + "] every worker is replaced; waiting for the old ones (pid " + pids + ") to let their clients"
                + " finish" + (reload.graceful && app.gracefulTimeout() == null ? " (no gracefulTimeout: as long as they stay)" : "")
                + "; a new reload or restart would not wait for them";
        reload.waiters.forEach(r -> r.out(waiting));
    }

    /**
     * A reload whose replacements are all ready, whose old workers only finish their connections
     * (reload -g: as long as their clients keep them), does not hold back the next deploy
     * ({@code command}, a reload or a restart): that reload is done.
     */
    private void endDrainingReload(String command) {
        if (reload != null && !reload.recycle && reload.current == null && reload.pending.isEmpty()) {
            finishReload("; " + reload.draining.size() + " old workers still finishing their connections, which this " + command
                    + " does not wait for");
        }
    }

    /** The reload is done: says so, with {@code more} after the count, to its waiters and the log. */
    private void finishReload(String more) {
        String done = "drover[" + app.name() + "] reload done: " + reload.replaced + " workers replaced" + more;
        log(done);
        systemd.ready(reload.replaced + " workers replaced by the last reload");
        reload.waiters.forEach(r -> {
            r.out(done);
            r.exit(ExitCodes.OK);
        });
        reload = null;
    }

    private void abortReload(String why) {
        String message = "drover[" + app.name() + "] reload stopped: " + why + " (" + reload.progress() + ")";
        log(message);
        if (ownsFiles) { // after a restart's handover the new master is the service's: its READY=1 stands
            systemd.ready("reload stopped: " + why);
        }
        reload.waiters.forEach(r -> {
            r.err(message);
            r.exit(ExitCodes.FAILED);
        });
        if (reload.current != null) {
            reload.current.replacing = 0;
        }
        endRetirements(0, reload.graceful, false);
        reload = null;
    }

    private void checkWatch(long now) {
        if (watch == null || now - nextWatchCheck < 0) {
            return;
        }
        nextWatchCheck = now + SECOND;
        if (watch.changed()) {
            log("the class path changed; reloading (start --watch)");
            startReload(false, Reply.none(os));
        }
    }

    // ---- status and connections ----

    private void startQuery(String kind, boolean json, Reply reply) {
        List<WorkerProcess> asked = live.stream().filter(w -> w.state() != WorkerProcess.State.EXITED).toList();
        asked.forEach(w -> send(w, ControlMessage.of(kind))); // one that cannot be asked (its channel jammed or closed) did not answer
        queries.add(new Query(kind, json, reply, asked, System.nanoTime() + QUERY_TIMEOUT.toNanos()));
        completeQueries(System.nanoTime());
    }

    private void completeQueries(long now) {
        for (Iterator<Query> it = queries.iterator(); it.hasNext(); ) {
            Query query = it.next();
            query.awaiting.removeIf(w -> w.state() == WorkerProcess.State.EXITED);
            if (!query.complete(now)) {
                continue;
            }
            it.remove();
            Report report = query.kind.equals(ControlMessage.STATUS) ? statusReport(query) : connectionsReport(query);
            if (query.reply == null) {
                log((query.kind.equals(ControlMessage.STATUS) ? "status:\n" : "connections:\n") + String.join("\n", report.lines()));
            } else {
                if (query.json) {
                    query.reply.out(report.json());
                } else {
                    report.lines().forEach(query.reply::out);
                }
                query.reply.exit(ExitCodes.OK);
            }
        }
    }

    private ConnectionsReport connectionsReport(Query query) {
        ConnectionsReport report = new ConnectionsReport();
        query.answers.forEach((worker, rows) -> {
            try {
                report.add(worker.pid, worker.group.name(), rows);
            } catch (IllegalArgumentException unreadable) {
                unreadable(worker, ControlMessage.CONNECTIONS, unreadable);
                report.unanswered(worker.pid, worker.group.name());
            }
        });
        query.awaiting.forEach(worker -> report.unanswered(worker.pid, worker.group.name()));
        return report;
    }

    private StatusReport statusReport(Query query) {
        long now = System.nanoTime();
        Map<WorkerProcess, String> answers = query.answers;
        List<StatusReport.Row> rows = new ArrayList<>();
        List<StatusReport.GroupRow> groupRows = new ArrayList<>();
        for (Group group : groups) {
            String listen = listeners.addressOf(group.spec);
            groupRows.add(new StatusReport.GroupRow(group.spec.name(), listen, group.count, new LinkedHashMap<>(group.exitCounts)));
            for (Slot slot : group.slots) {
                if (slot.process == null) {
                    rows.add(new StatusReport.Row(slot.id, 0, group.spec.name(), listen, "respawning", 0, null, 0));
                } else {
                    rows.add(statusRow(slot.process, listen, answers.get(slot.process), now));
                }
                // then the workers a reload replaced in the slot that still serve the connections they had
                live.stream().filter(w -> w.group == slot.group && w.id == slot.id && w != slot.process && w.state() != WorkerProcess.State.EXITED)
                        .forEach(w -> rows.add(statusRow(w, listen, answers.get(w), now)));
            }
        }
        String state = stopping ? "stopping" : reload != null ? "reloading" : "running";
        return new StatusReport(app.name(), pid, startedAt, os.loadAverage(), state, groupRows, rows);
    }

    /** {@code worker}'s line; {@code answer} is its stats, null when it did not answer in time. */
    private StatusReport.Row statusRow(WorkerProcess worker, String listen, String answer, long now) {
        Map<String, String> stats = answer == null ? null : parseStats(answer);
        try {
            if (stats != null) {
                StatusReport.check(stats);
            }
        } catch (IllegalArgumentException unreadable) {
            unreadable(worker, ControlMessage.STATUS, unreadable);
            stats = null; // shown as a worker that did not answer
        }
        double qps = stats == null ? 0 : qps(worker, Long.parseLong(stats.getOrDefault("total_request", "0")), now);
        return new StatusReport.Row(worker.id, worker.pid, worker.group.name(), listen, worker.state().name().toLowerCase(),
                os.residentBytes(worker.pid), stats, qps);
    }

    /** A worker's answer to a query that is not one drover's workers write: logged, and the worker shown as silent. */
    private void unreadable(WorkerProcess worker, String query, IllegalArgumentException why) {
        log("worker[" + worker.group.name() + ":" + worker.pid + "]'s answer to " + query + " could not be read (" + why.getMessage()
                + "): it is shown as a worker that did not answer; a worker of another drover version answers so");
    }

    private static Map<String, String> parseStats(String text) {
        return java.util.Arrays.stream(text.split(" ")).filter(kv -> kv.contains("="))
                .collect(Collectors.toMap(kv -> kv.substring(0, kv.indexOf('=')), kv -> kv.substring(kv.indexOf('=') + 1), (a, b) -> b));
    }

    /** Requests per second of this worker ({@link RequestRates}). */
    private double qps(WorkerProcess worker, long total, long now) {
        return requestRates.rate(worker.pid, total, now, worker.spawnedAtNanos);
    }

    // ---- restart: a successor master takes over ----

    /**
     * {@code restart}: start the program now on disk as a new master, hand it the pid file's lock,
     * every listener, and the copies of the listeners the workers bound themselves ({@link Slot#lent},
     * for its workers of the same group and id), and once it reports its workers ready, stop this
     * master's workers (the sockets never close). If it fails, this master goes on serving.
     */
    private void startUpgrade(boolean graceful, Reply reply, boolean again) {
        if (!stopping && upgrade == null) {
            endDrainingReload("restart");
        }
        if (stopping || upgrade != null || reload != null || !ownsFiles) {
            reply.err("drover[" + app.name() + "] cannot restart now: " + (stopping ? "it is stopping"
                    : upgrade != null ? "a restart is in progress"
                    : reload != null && reload.recycle ? "a worker is being replaced for its maxRequests or maxMemory; try again in a few seconds"
                    : reload != null ? "a reload is in progress (" + reload.progress() + ")" : "it is handing over"));
            reply.exit(ExitCodes.FAILED);
            return;
        }
        if (JvmCheck.workingDirectoryGone()) {
            resumeShared(); // a retry's: its first try yielded
            refuseInDeletedDirectory("restart", reply);
            return;
        }
        int[] pair;
        int child;
        try {
            pair = os.socketPair();
        } catch (OsException e) {
            resumeShared();
            reply.err("drover[" + app.name() + "] restart failed: " + e.getMessage());
            reply.exit(ExitCodes.FAILED);
            return;
        }
        try {
            Path stdout = app.stdoutFileOrDevNull();
            child = spawner.spawnMaster(Environment.ROLE_SUCCESSOR, app.name(), pair[1], stdout);
            new Handover(pidFile.lockFd(), listeners.byGroup(), workersOwnListeners()).send(os, pair[0]);
            os.setNonBlocking(pair[0], true);
        } catch (RuntimeException e) {
            os.close(pair[0]);
            resumeShared();
            reply.err("drover[" + app.name() + "] restart failed: cannot start the new master: " + e.getMessage());
            reply.exit(ExitCodes.FAILED);
            return;
        } finally {
            os.close(pair[1]);
        }
        upgrade = new Upgrade(child, pair[0], reply, graceful, System.nanoTime() + UPGRADE_TIMEOUT.toNanos(), again);
        // the embedded ChannelServer stops accepting: the successor's workers reach its own server alone
        sendToReady(ControlMessage.of(ControlMessage.YIELD));
        systemd.reloading(); // the successor's READY=1 (with its MAINPID) ends it; a failure, this master's
        log("drover[" + app.name() + "] restarting: new master pid " + child + " starts with the program now on disk");
        reply.out("drover[" + app.name() + "] restarting: new master pid " + child + " starts; the sockets stay open ...");
    }

    /** Every slot's copies of its workers' own listeners, for the successor's workers of the same group and id. */
    private List<Handover.Lent> workersOwnListeners() {
        List<Handover.Lent> lent = new ArrayList<>();
        for (Group group : groups) {
            for (Slot slot : group.slots) {
                slot.lent.forEach((key, fd) -> lent.add(new Handover.Lent(group.spec.index(), slot.id, key, fd)));
            }
        }
        return lent;
    }

    /** The successor's report: out/err lines for the CLI, then exit 0 (ready) or the reason it failed. */
    private void readUpgrade() {
        int count;
        List<String> lines;
        try {
            count = os.read(upgrade.fd, buffer);
            lines = count > 0 ? upgrade.lines.add(buffer, count) : List.of();
        } catch (RuntimeException broken) {
            count = 0;
            lines = List.of();
        }
        for (String line : lines) {
            ControlMessage message = ControlMessage.decode(line);
            switch (message.type()) {
                case "out" -> upgrade.reply.out(message.argument());
                case "err" -> upgrade.reply.err(message.argument());
                case "exit" -> {
                    if (message.argument().equals("0")) {
                        handOver();
                    } else {
                        upgradeFailed("the new master (pid " + upgrade.pid + ") did not start");
                    }
                    return;
                }
                default -> log("the new master sent an unexpected line: " + line);
            }
        }
        if (count == 0) {
            Upgrade failed = upgrade;
            // It closed its end as it died: reaped at once, or it lives on and is reaped later.
            Optional<ExitStatus> status = Pause.reap(os, failed.pid, Duration.ofMillis(500));
            boolean archiveCrashedIt = status.isPresent() && spawner.archive().exited(failed.pid, status.get());
            if (archiveCrashedIt && !failed.again) {
                upgrade = null;
                os.close(failed.fd);
                failed.reply.out("drover[" + app.name() + "] the new master (pid " + failed.pid + ") crashed as its JVM started (exit status "
                        + status.get() + "), mapping its class archive, which is removed (see " + log.path() + "); starting it again without it");
                startUpgrade(failed.graceful, failed.reply, true);
                return;
            }
            upgradeFailed("the new master (pid " + failed.pid + ") " + status.map(s -> "exited with status " + s).orElse("closed its report")
                    + " before its workers were ready; see " + log.path(), status.isEmpty());
        }
    }

    private void handOver() {
        Upgrade done = upgrade;
        upgrade = null;
        os.close(done.fd);
        ownsFiles = false;
        otherChildren.add(done.pid); // reaped when it exits before this one: no zombie that a stop would wait for
        // The new master holds the sockets and the lock now: this one's copies would keep them (a
        // queue nobody accepts from, a lock that says "running") after the new one stopped.
        listeners.closeHandedOver();
        groups.forEach(g -> g.slots.forEach(this::closeLent));
        pidFile.releaseLockOnly();
        String message = "drover[" + app.name() + "] restart success: master pid " + done.pid + " took over; the old master (pid "
                + pid + ") stops its workers" + (done.graceful ? " gracefully" : "");
        log(message);
        done.reply.out(message);
        stopWaiters.add(done.reply);
        // The successor's workers, cold, take this master's workers' clients over a second, not in one burst.
        ControlMessage retirement = retirement(done.graceful);
        sendToReady(retirement);
        beginStop(done.graceful);
    }

    private void upgradeFailed(String why) {
        upgradeFailed(why, true);
    }

    /** The restart ends without a successor: workers that yielded shared state (the embedded ChannelServer) accept again. */
    private void resumeShared() {
        sendToReady(ControlMessage.of(ControlMessage.RESUME));
    }

    /** Sends {@code message} to every worker that is ready (not one still starting or on its way out). */
    private void sendToReady(ControlMessage message) {
        live.stream().filter(w -> w.state() == WorkerProcess.State.READY).forEach(w -> send(w, message));
    }

    /**
     * Refuses {@code command}: no JVM starts in a deleted directory, so its new workers (or new
     * master) would fail, and the reason would go to a log that was probably deleted with it.
     */
    private void refuseInDeletedDirectory(String command, Reply reply) {
        String why = JvmCheck.workingDirectoryGoneAdvice(pid);
        log(command + " refused: " + why);
        reply.err("drover[" + app.name() + "] " + command + " refused: " + why);
        reply.exit(ExitCodes.FAILED);
    }

    /** The restart failed ({@code why}); {@code unreaped}: its new master is still to be waited for. */
    private void upgradeFailed(String why, boolean unreaped) {
        Upgrade failed = upgrade;
        upgrade = null;
        os.close(failed.fd);
        if (unreaped) {
            otherChildren.add(failed.pid);
        }
        resumeShared();
        String message = "drover[" + app.name() + "] restart failed: " + why + "; this master (pid " + pid + ") goes on serving";
        log(message);
        systemd.ready("restart failed: " + why);
        failed.reply.err(message);
        failed.reply.exit(ExitCodes.FAILED);
    }

    /** The successor's workers are ready: take the pid file (by rename) and the operator socket's name. */
    private void takeOver() {
        pidFile.write(pid);
        try {
            Files.move(pidFile.successorSocketPath(), pidFile.socketPath(), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            log("cannot move the operator socket into place: " + e.getMessage() + "; commands reach " + pidFile.successorSocketPath());
        }
        ownsFiles = true;
        log("drover[" + app.name() + "] master pid " + pid + " took over " + pidFile.path());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
            // a stale file the next restart replaces
        }
    }

    // ---- stopping ----

    private void beginStop(boolean graceful) {
        if (stopping) {
            if (stopGraceful && !graceful) {
                stopGraceful = false;
                log("drover[" + app.name() + "] stops now instead of gracefully");
                stopWorkers();
            }
            return;
        }
        stopping = true;
        stopGraceful = graceful;
        nextStopProgressNanos = System.nanoTime() + 3 * SECOND;
        if (ownsFiles) {
            systemd.stopping();
        }
        log("drover[" + app.name() + "] is stopping" + (graceful ? " gracefully" : "") + " ...");
        callHook("onMasterStop", hooks::onMasterStop);
        if (reload != null) {
            abortReload("the master is stopping");
        }
        if (upgrade != null) {
            abandonUpgrade();
        }
        if (!graceful && ownsFiles && predecessor != 0 && os.getppid() == predecessor) {
            // Taken over (not a successor that failed to start, whose predecessor serves on), the
            // master it took over from may still let its workers' clients finish (restart -g): a
            // stop of the service ends that too. (A graceful stop leaves it as gracefully.)
            log("the master this one took over from (pid " + predecessor + ") still finishes its connections; it stops now too");
            os.kill(predecessor, Signals.number("TERM"));
        }
        stopWorkers();
        if (ownsFiles) {
            // The workers close theirs at once: with the master's copies closed too, a new client is refused
            // and tries elsewhere, as nginx's and gunicorn's stops close their sockets, where it waited for
            // the last worker to finish and was then reset. (Socket activation's sockets stay open in systemd.)
            listeners.closeHandedOver();
            groups.forEach(g -> g.slots.forEach(this::closeLent));
        }
    }

    /**
     * Asks the workers to stop, as the stop is ({@link #stopGraceful}); those holding what the others
     * share (the embedded ChannelServer, {@link GroupSpec#sharedState}) once the others are gone, so
     * that their onWorkerStop still reaches it: asked together, it ended first, and every stop logged
     * it unreachable. Those are never asked gracefully: their clients are the workers, gone by then,
     * and subscribers from elsewhere, which never end (a stop -g waited for them for ever). Owning
     * the files, the stop is the last: no new master takes the clients.
     */
    private void stopWorkers() {
        boolean othersLeft = live.stream().anyMatch(w -> !w.group.sharedState());
        for (WorkerProcess worker : List.copyOf(live)) {
            if (!worker.group.sharedState()) {
                stopWorker(worker, stopGraceful, ownsFiles);
            } else if (!othersLeft) {
                stopWorker(worker, false, ownsFiles);
            }
        }
    }

    /** A graceful stop still waiting for workers' clients says so every 10 s, naming them, to whoever waits for it. */
    private void tellWhatTheStopWaitsFor(long now) {
        if (!stopGraceful || live.isEmpty() || stopWaiters.isEmpty() || now - nextStopProgressNanos < 0) {
            return;
        }
        nextStopProgressNanos = now + 10 * SECOND;
        String pids = pids(live.stream().filter(w -> w.state() == WorkerProcess.State.STOPPING).toList()); // not the ChannelServer, asked last
        String waiting = "drover[" + app.name() + "] waiting for " + (ownsFiles ? "workers" : "the old master's workers") + " (pid " + pids
                + ") to let their clients finish and run onWorkerStop" + (app.gracefulTimeout() == null ? " (no gracefulTimeout: as long as they stay)" : "")
                + (ownsFiles ? "; a stop without -g ends them now" : "; the new master serves meanwhile");
        stopWaiters.forEach(r -> r.out(waiting));
    }

    /**
     * A stop (SIGTERM from systemd or a script) during a restart stops the service: the new master,
     * which holds the sockets and the lock too and would take over once ready, is told to stop as
     * well, and the restart's caller told why.
     */
    private void abandonUpgrade() {
        Upgrade abandoned = upgrade;
        upgrade = null;
        resumeShared(); // the ChannelServer that yielded serves the workers' onWorkerStop again; the new one stops too
        os.close(abandoned.fd);
        os.kill(abandoned.pid, Signals.number("TERM"));
        otherChildren.add(abandoned.pid);
        abandonedSuccessor = abandoned.pid;
        abandonedKillAtNanos = System.nanoTime() + app.stopTimeout().plus(KILL_GRACE).toNanos();
        String message = "drover[" + app.name() + "] restart abandoned: this master (pid " + pid + ") was told to stop, and its new master (pid "
                + abandoned.pid + ") stops with it";
        log(message);
        abandoned.reply.err(message);
        abandoned.reply.exit(ExitCodes.FAILED);
    }

    /** Whether the abandoned new master is still to exit; past its stopTimeout and KILL_GRACE it is killed. */
    private boolean waitingForAbandonedSuccessor(long now) {
        if (abandonedSuccessor == 0 || !otherChildren.contains(abandonedSuccessor)) {
            return false;
        }
        if (abandonedKillAtNanos != 0 && now - abandonedKillAtNanos >= 0) {
            log("the new master (pid " + abandonedSuccessor + ") did not stop within " + app.stopTimeout().plus(KILL_GRACE).toMillis()
                    + " ms; sending SIGKILL");
            os.kill(abandonedSuccessor, Signals.number("KILL"));
            abandonedKillAtNanos = 0;
        }
        return true;
    }

    /** The workers' pids, as a message names them: {@code 4243, 4244}. */
    private static String pids(Collection<WorkerProcess> workers) {
        return workers.stream().map(w -> Integer.toString(w.pid)).collect(Collectors.joining(", "));
    }

    private Optional<String> stopFailure(long now) {
        List<WorkerProcess> stuck = live.stream()
                .filter(w -> w.killedAtNanos != 0 && now - w.killedAtNanos >= KILL_GRACE.toNanos()).toList();
        if (stuck.isEmpty()) {
            return Optional.empty();
        }
        String pids = pids(stuck);
        return Optional.of("drover[" + app.name() + "] stop fail: pid " + pids + " still running " + KILL_GRACE.toSeconds()
                + " s after SIGKILL (stuck in the kernel?); look at them with ps and /proc/<pid>/stack");
    }

    private int finish(int code, String failure) {
        operator.close();
        groups.forEach(g -> g.slots.forEach(this::closeLent));
        spawner.archive().close();
        if (ownsFiles) {
            listeners.close();
            pidFile.release();
        } else {
            listeners.closeHandedOver(); // the other master keeps the sockets, the pid file and the lock
            pidFile.releaseLockOnly();
            deleteQuietly(pidFile.successorSocketPath());
        }
        log(failure != null ? failure : "drover[" + app.name() + "] has been stopped");
        if (failure == null && code == ExitCodes.OK) {
            log("drover[" + app.name() + "] stop success");
        }
        if (startupReport != null) {
            // start -d is still waiting: it says why, unless a worker's failure said so already
            if (failure != null) {
                startupReport.err(failure);
            } else if (!startFailed) {
                startupReport.err("drover[" + app.name() + "] start failed: the master (pid " + pid
                        + ") was stopped before its workers were ready (a stop, or a signal); see " + log.path());
            }
            startupReport.exit(ExitCodes.FAILED);
        }
        for (Reply waiter : stopWaiters) {
            if (failure != null) {
                waiter.err(failure);
            }
            waiter.exit(code);
        }
        synchronized (wakeLock) {
            wakeOpen = false;
            os.close(wake[0]);
            os.close(wake[1]);
        }
        log.close();
        return code;
    }

    // ---- helpers ----

    private interface Hook {
        void run() throws Exception;
    }

    /** Runs an application hook in the master; what it throws is logged, and the master goes on. */
    private void callHook(String name, Hook hook) {
        try {
            hook.run();
        } catch (Exception | Error e) {
            log("exception in " + name + " (the master goes on): " + trace(e));
        }
    }

    private static String trace(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString().stripTrailing();
    }

    private void log(String message) {
        log.write(pid, message);
    }
}
