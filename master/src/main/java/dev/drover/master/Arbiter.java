package dev.drover.master;

import dev.drover.master.os.ExitStatus;
import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import dev.drover.master.os.Signals;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import sun.misc.Signal;

/**
 * The master's supervisor loop, in gunicorn's shape: wait for an event (a signal, a worker's
 * message, an operator's command), reap the dead, enforce stop deadlines, keep every slot filled.
 * Signal handlers only enqueue and wake the loop; this one thread acts.
 */
public final class Arbiter {
    private static final List<String> STOP_SIGNALS = List.of("INT", "TERM", "HUP", "TSTP");
    private static final List<String> LATER_SIGNALS = List.of("USR1", "USR2", "WINCH", "IO", "TTIN", "TTOU");
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final AppSpec app;
    private final Os os;
    private final LogFile log;
    private final PidFile pidFile;
    private final Listeners listeners;
    private final Spawner spawner;
    private final int pid;
    private final Instant startedAt = Instant.now();
    private final List<Slot> slots = new ArrayList<>();
    private final List<WorkerProcess> live = new ArrayList<>();
    private final Queue<String> pendingSignals = new ConcurrentLinkedQueue<>();
    private final int[] wake;
    private final int operatorFd;
    private final List<OperatorConnection> operatorConnections = new ArrayList<>();
    private final List<Reply> stopWaiters = new ArrayList<>();
    private final byte[] buffer = new byte[64 * 1024];
    private Reply startupReport;
    private boolean started;
    private boolean startFailed;
    private boolean stopping;
    private long stopDeadline;
    private long killDeadline;

    /**
     * @param startupReport where a daemon tells the starting CLI that every worker is ready, or null
     */
    public Arbiter(AppSpec app, Os os, LogFile log, PidFile pidFile, Listeners listeners, Spawner spawner,
                   int operatorFd, Reply startupReport) {
        this.app = app;
        this.os = os;
        this.log = log;
        this.pidFile = pidFile;
        this.listeners = listeners;
        this.spawner = spawner;
        this.operatorFd = operatorFd;
        this.startupReport = startupReport;
        this.pid = os.getpid();
        this.wake = os.socketPair();
        os.setNonBlocking(wake[0], true);
        os.setNonBlocking(wake[1], true);
        for (GroupSpec group : app.groups()) {
            for (int id = 0; id < group.count(); id++) {
                slots.add(new Slot(group, id));
            }
        }
    }

    /** Runs until the master stopped; returns the master's exit code. */
    public int run() {
        try {
            return loop();
        } catch (RuntimeException | Error bug) {
            StringWriter trace = new StringWriter();
            bug.printStackTrace(new PrintWriter(trace));
            log("drover[" + app.name() + "] master failed, killing its workers: " + trace.toString().stripTrailing());
            live.forEach(w -> os.kill(w.pid, Signals.number("KILL")));
            return finish(ExitCodes.FAILED, "drover[" + app.name() + "] master failed: " + bug);
        }
    }

    private int loop() {
        installSignals();
        while (true) {
            waitForEvents(timeoutMillis());
            handleSignals();
            reap();
            if (stopping) {
                if (live.isEmpty()) {
                    return finish(startFailed ? 1 : 0, null);
                }
                Optional<String> failure = enforceStopDeadlines();
                if (failure.isPresent()) {
                    return finish(1, failure.get());
                }
            } else {
                manage();
                checkStarted();
            }
        }
    }

    private void installSignals() {
        for (String name : STOP_SIGNALS) {
            Signal.handle(new Signal(name), s -> enqueue(name));
        }
        for (String name : LATER_SIGNALS) {
            Signal.handle(new Signal(name), s -> enqueue(name));
        }
        Signal.handle(new Signal("CHLD"), s -> enqueue("CHLD"));
        Signal.handle(new Signal("PIPE"), sun.misc.SignalHandler.SIG_IGN);
    }

    private void enqueue(String signal) {
        pendingSignals.add(signal);
        os.write(wake[1], new byte[] {1}, 0, 1);
    }

    private void handleSignals() {
        String signal;
        while ((signal = pendingSignals.poll()) != null) {
            if (STOP_SIGNALS.contains(signal)) {
                log("received SIG" + signal);
                beginStop();
            } else if (LATER_SIGNALS.contains(signal)) {
                log("SIG" + signal + " is not supported by this version of drover; ignored");
            }
        }
    }

    // ---- waiting ----

    private int timeoutMillis() {
        long now = System.nanoTime();
        long next = now + 1_000_000_000L;
        if (stopping) {
            next = Math.min(next, killDeadline != 0 ? killDeadline : stopDeadline);
        } else {
            for (Slot slot : slots) {
                if (slot.process == null) {
                    next = Math.min(next, slot.notBeforeNanos);
                }
            }
        }
        return (int) Math.max(0, (next - now + 999_999) / 1_000_000);
    }

    private void waitForEvents(int timeoutMillis) {
        List<Integer> fds = new ArrayList<>();
        fds.add(wake[0]);
        fds.add(operatorFd);
        List<OperatorConnection> connections = List.copyOf(operatorConnections);
        connections.forEach(c -> fds.add(c.fd()));
        List<WorkerProcess> listening = live.stream().filter(w -> w.channelFd() >= 0).toList();
        listening.forEach(w -> fds.add(w.channelFd()));
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
        if (ready[1]) {
            acceptOperators();
        }
        int index = 2;
        for (OperatorConnection connection : connections) {
            if (ready[index++]) {
                readOperator(connection);
            }
        }
        for (WorkerProcess worker : listening) {
            if (ready[index++]) {
                readChannel(worker);
            }
        }
    }

    // ---- workers ----

    private void manage() {
        long now = System.nanoTime();
        for (Slot slot : slots) {
            if (!stopping && slot.process == null && now - slot.notBeforeNanos >= 0) {
                spawn(slot);
            }
        }
    }

    private void spawn(Slot slot) {
        int[] pair = os.socketPair();
        int child;
        try {
            child = spawner.spawnWorker(slot.group, slot.id, listeners.addressOf(slot.group), pair[1]);
        } catch (OsException e) {
            os.close(pair[0]);
            String problem = "cannot spawn worker " + slot.group.name() + " id " + slot.id + ": " + e.getMessage();
            if (!started && startupReport != null) {
                startFailed = true;
                log(problem);
                startupReport.err("drover[" + app.name() + "] start failed: " + problem);
                beginStop();
                return;
            }
            log(problem + "; retrying in 1 s");
            slot.notBeforeNanos = System.nanoTime() + 1_000_000_000L;
            return;
        } finally {
            os.close(pair[1]);
        }
        WorkerProcess worker = new WorkerProcess(slot.group, slot.id, child, pair[0], System.nanoTime());
        slot.process = worker;
        live.add(worker);
        int[] fds = listeners.fdsFor(slot.group);
        try {
            os.sendWithFds(pair[0], ControlMessage.of(ControlMessage.LISTEN, Integer.toString(fds.length)).encode(), fds);
            os.setNonBlocking(pair[0], true);
        } catch (OsException e) {
            log(worker + " cannot be handed its sockets: " + e.getMessage());
        }
    }

    private void readChannel(WorkerProcess worker) {
        int count = os.read(worker.channelFd(), buffer);
        if (count == 0) {
            os.close(worker.channelFd());
            worker.channelClosed();
            return;
        }
        if (count < 0) {
            return;
        }
        for (String line : worker.lines.add(buffer, count)) {
            ControlMessage message = ControlMessage.decode(line);
            switch (message.type()) {
                case ControlMessage.READY -> onReady(worker);
                case ControlMessage.LOG -> log.write(worker.pid, message.argument());
                case ControlMessage.FAIL -> worker.failed(message.argument());
                default -> log(worker + " sent an unknown control message: " + line);
            }
        }
    }

    private void onReady(WorkerProcess worker) {
        if (worker.state() != WorkerProcess.State.SPAWNED) {
            return;
        }
        worker.moveTo(WorkerProcess.State.READY);
        long millis = (System.nanoTime() - worker.spawnedAtNanos) / 1_000_000;
        log(worker + " id " + worker.id + " ready in " + millis + " ms");
    }

    private void reap() {
        for (WorkerProcess worker : List.copyOf(live)) {
            Optional<ExitStatus> status = os.reap(worker.pid);
            status.ifPresent(s -> onExit(worker, s));
        }
    }

    private void onExit(WorkerProcess worker, ExitStatus status) {
        if (worker.channelFd() >= 0) {
            drainChannel(worker);
        }
        log(worker + " exit with status " + status);
        if (worker.channelFd() >= 0) {
            os.close(worker.channelFd());
            worker.channelClosed();
        }
        worker.moveTo(WorkerProcess.State.EXITED);
        live.remove(worker);
        Slot slot = slotOf(worker);
        slot.process = null;
        if (stopping) {
            return;
        }
        if (!started && startupReport != null && !worker.everReady()) {
            startFailed = true;
            String reason = worker.failure() != null ? worker.failure() : "see " + log.path();
            startupReport.err("drover[" + app.name() + "] start failed: " + worker + " (id " + worker.id + ") exited with status "
                    + status + " before it was ready: " + reason);
            beginStop();
            return;
        }
        Duration lived = Duration.ofNanos(System.nanoTime() - worker.spawnedAtNanos);
        Duration delay = slot.backoff.next(lived, worker.everReady(), status.killedBySignal());
        slot.notBeforeNanos = System.nanoTime() + delay.toNanos();
        if (!delay.isZero()) {
            log("worker[" + worker.group.name() + "] id " + worker.id + " died " + lived.toMillis() + " ms after its start; respawning in "
                    + delay.toSeconds() + " s");
        }
    }

    /** Reads what a dead worker still had in its channel (its last log lines and failure). */
    private void drainChannel(WorkerProcess worker) {
        os.setNonBlocking(worker.channelFd(), true);
        while (worker.channelFd() >= 0) {
            int before = worker.channelFd();
            readChannel(worker);
            if (worker.channelFd() == before && os.poll(new int[] {before}, new boolean[1], 0) == 0) {
                return;
            }
        }
    }

    private Slot slotOf(WorkerProcess worker) {
        return slots.stream().filter(s -> s.group == worker.group && s.id == worker.id).findFirst().orElseThrow();
    }

    private void checkStarted() {
        if (started || !slots.stream().allMatch(s -> s.process != null && s.process.state() == WorkerProcess.State.READY)) {
            return;
        }
        started = true;
        log("drover[" + app.name() + "] started: " + slots.size() + " workers ready");
        if (startupReport != null) {
            statusLines().forEach(startupReport::out);
            startupReport.out("drover[" + app.name() + "] start success; stop it with: stop");
            startupReport.exit(0);
            startupReport = null;
        }
    }

    // ---- stopping ----

    private void beginStop() {
        if (stopping) {
            return;
        }
        stopping = true;
        log("drover[" + app.name() + "] is stopping ...");
        for (WorkerProcess worker : live) {
            worker.moveTo(WorkerProcess.State.STOPPING);
            if (!sendToWorker(worker, ControlMessage.of(ControlMessage.STOP))) {
                os.kill(worker.pid, Signals.number("TERM"));
            }
        }
        stopDeadline = System.nanoTime() + app.stopTimeout().toNanos();
    }

    private boolean sendToWorker(WorkerProcess worker, ControlMessage message) {
        if (worker.channelFd() < 0) {
            return false;
        }
        byte[] bytes = message.encode();
        try {
            return os.write(worker.channelFd(), bytes, 0, bytes.length) == bytes.length;
        } catch (OsException gone) {
            return false;
        }
    }

    private Optional<String> enforceStopDeadlines() {
        long now = System.nanoTime();
        if (killDeadline == 0 && now - stopDeadline >= 0) {
            for (WorkerProcess worker : live) {
                log(worker + " did not exit within " + app.stopTimeout().toMillis() + " ms; sending SIGKILL");
                os.kill(worker.pid, Signals.number("KILL"));
            }
            killDeadline = now + KILL_GRACE.toNanos();
        } else if (killDeadline != 0 && now - killDeadline >= 0) {
            String pids = live.stream().map(w -> Integer.toString(w.pid)).reduce((a, b) -> a + ", " + b).orElse("");
            return Optional.of("drover[" + app.name() + "] stop fail: pid " + pids + " still running " + KILL_GRACE.toSeconds()
                    + " s after SIGKILL (stuck in the kernel?); check them with ps and /proc/<pid>/stack");
        }
        return Optional.empty();
    }

    private int finish(int code, String failure) {
        listeners.close();
        operatorConnections.forEach(c -> c.reply().close());
        os.close(operatorFd);
        pidFile.release();
        log(failure != null ? failure : "drover[" + app.name() + "] has been stopped");
        if (startupReport != null) {
            startupReport.exit(1);
        }
        for (Reply waiter : stopWaiters) {
            if (failure != null) {
                waiter.err(failure);
            }
            waiter.exit(code);
        }
        os.close(wake[0]);
        os.close(wake[1]);
        log.close();
        return code;
    }

    // ---- operator socket ----

    private void acceptOperators() {
        int fd;
        while ((fd = os.accept(operatorFd)) >= 0) {
            OperatorConnection connection = new OperatorConnection(fd, new LineBuffer(4096), new Reply(os, fd));
            int uid = os.peerUid(fd);
            if (uid != 0 && uid != os.geteuid()) {
                connection.reply().err("drover: uid " + uid + " may not command this master");
                connection.reply().exit(1);
                continue;
            }
            operatorConnections.add(connection);
        }
    }

    private void readOperator(OperatorConnection connection) {
        int count;
        List<String> lines;
        try {
            count = os.read(connection.fd(), buffer);
            lines = count > 0 ? connection.lines().add(buffer, count) : List.of();
        } catch (RuntimeException bad) {
            count = 0;
            lines = List.of();
        }
        if (count == 0) {
            operatorConnections.remove(connection);
            connection.reply().close();
            return;
        }
        if (!lines.isEmpty()) {
            operatorConnections.remove(connection);
            command(lines.get(0).trim(), connection.reply());
        }
    }

    private void command(String line, Reply reply) {
        List<String> words = List.of(line.split(" +"));
        switch (words.get(0)) {
            case "status" -> {
                statusLines().forEach(reply::out);
                reply.exit(ExitCodes.OK);
            }
            case "stop" -> {
                reply.out("drover[" + app.name() + "] is stopping ...");
                stopWaiters.add(reply);
                beginStop();
            }
            default -> {
                reply.err("drover: the master does not know the command '" + line + "'");
                reply.exit(ExitCodes.USAGE);
            }
        }
    }

    List<String> statusLines() {
        List<String> lines = new ArrayList<>();
        String since = LocalDateTime.ofInstant(startedAt, ZoneId.systemDefault()).format(TIME);
        lines.add("drover[" + app.name() + "] master pid " + pid + ", started " + since + ", " + slots.size() + " workers, "
                + (stopping ? "stopping" : "running"));
        lines.add(String.format("%-4s %-8s %-16s %-32s %s", "id", "pid", "name", "listen", "state"));
        for (Slot slot : slots) {
            WorkerProcess worker = slot.process;
            lines.add(String.format("%-4d %-8s %-16s %-32s %s", slot.id, worker == null ? "-" : Integer.toString(worker.pid),
                    slot.group.name(), listeners.addressOf(slot.group),
                    worker == null ? "respawning" : worker.state().name().toLowerCase()));
        }
        return lines;
    }

    private void log(String message) {
        log.write(pid, message);
    }

    private record OperatorConnection(int fd, LineBuffer lines, Reply reply) {}
}
