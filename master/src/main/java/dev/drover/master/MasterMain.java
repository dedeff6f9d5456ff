package dev.drover.master;

import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import dev.drover.master.os.UserIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Brings a master up: takes the pid file's lock, opens the log, binds the listeners and the
 * operator socket, writes the pid file, then hands over to the {@link Arbiter}. Any failure on
 * the way is reported with what to do, and leaves nothing behind.
 */
final class MasterMain {
    private final AppSpec app;
    private final Os os;
    private final JvmCommand command;
    private final Reply report;
    private final boolean watch;

    /**
     * @param command this JVM's command, which the workers run with their own options
     * @param report the starting CLI's report socket for a daemon, or null in the foreground
     * @param watch reload the workers when the class path changes ({@code start --watch})
     */
    MasterMain(AppSpec app, Os os, JvmCommand command, Reply report, boolean watch) {
        this.app = app;
        this.os = os;
        this.command = command;
        this.report = report;
        this.watch = watch;
    }

    private String tag() {
        return "drover[" + app.name() + "]";
    }

    /** For a lock file of another user's, which this one cannot open to lock: whether a master of theirs holds it, or none does. */
    private static String othersLockAdvice(PidFile pidFile, int uid) {
        if (!pidFile.heldByAnyone().orElse(true)) {
            return "; the lock file belongs to uid " + uid + ", and no master holds it (one that ended left it): remove "
                    + pidFile.lockPath() + " as root or as uid " + uid + ", or choose another --pid-file";
        }
        return "; the lock file belongs to uid " + uid + ", whose master " + pidFile.masterPid().map(pid -> "(pid " + pid + ") holds it")
                .orElse("may be running it") + ": run this command as root or as uid " + uid + ", or choose another --pid-file";
    }

    int run() {
        PidFile pidFile = new PidFile(app.pidFileOrDefault(), os);
        boolean acquired;
        try {
            acquired = pidFile.tryAcquire();
        } catch (OsException | UncheckedIOException e) {
            // a daemon's own output goes nowhere: the report is how start -d learns why
            String advice = pidFile.lockOwner().filter(uid -> uid != os.geteuid()).map(uid -> othersLockAdvice(pidFile, uid))
                    .orElse("; choose a --pid-file in a directory this user can write");
            return fail(tag() + " start failed: " + e.getMessage() + advice);
        }
        if (!acquired) {
            return fail(tag() + " already running (pid " + pidFile.masterPid().map(String::valueOf).orElse("?")
                    + ", pid file " + pidFile.path() + "); stop it first, or use restart");
        }
        Optional<String> foreign = pidFile.foreign();
        if (foreign.isPresent()) {
            pidFile.releaseLockOnly();
            return fail(tag() + " start failed: " + foreign.get());
        }
        Optional<String> stale = pidFile.removeStale().map(found -> "replaced " + found);
        stale.ifPresent(this::say);
        LogFile log;
        try {
            log = new LogFile(app.logFileOrDefault(), report == null, app.logFileMaxSize());
        } catch (UncheckedIOException e) {
            pidFile.release();
            return fail(tag() + " start failed: " + logFileAdvice(e));
        }
        int pid = os.getpid();
        log.write(pid, tag() + " start in " + (report == null ? "DEBUG" : "DAEMON") + " mode, master pid " + pid
                + ", drover " + Cli.VERSION + ", Java " + Runtime.version());
        stale.ifPresent(message -> log.write(pid, tag() + " " + message));
        Listeners listeners = new Listeners(os);
        int operatorFd = -1;
        try {
            for (GroupSpec group : app.groups()) {
                checkUser(group, log, pid);
            }
            SocketActivation activation = new SocketActivation(os);
            for (GroupSpec group : app.groups()) {
                int passed = activation.active() && group.masterBinds() ? activation.claim(group) : -1;
                if (passed >= 0) {
                    listeners.adopt(group, passed);
                    log.write(pid, tag() + " worker " + group.name() + " uses the socket systemd passed as fd " + passed);
                } else if (group.masterBinds()) {
                    bind(listeners, group);
                }
            }
            Optional<String> foreignSocket = pidFile.foreignSocket();
            if (foreignSocket.isPresent()) {
                throw new IllegalArgumentException(foreignSocket.get());
            }
            Files.deleteIfExists(pidFile.socketPath());
            operatorFd = os.listenUnix(pidFile.socketPath(), 16);
            Files.setPosixFilePermissions(pidFile.socketPath(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            pidFile.write(pid);
        } catch (OsException | IllegalArgumentException | UncheckedIOException | IOException e) {
            listeners.close();
            if (operatorFd >= 0) {
                os.close(operatorFd);
            }
            pidFile.release();
            String message = tag() + " start failed: " + e.getMessage();
            log.write(pid, message);
            log.close();
            return fail(message);
        }
        migrateQueuedConnections(log, pid);
        return arbiter(pidFile, log, listeners, operatorFd, false);
    }

    /**
     * A reusePort worker has a listening socket of its own: when it stops (reload, restart), the
     * connections still queued on that socket are reset, unless the kernel moves them to its
     * siblings ({@code net.ipv4.tcp_migrate_req=1}, Linux 5.14+). Turn that on where permitted.
     */
    private void migrateQueuedConnections(LogFile log, int pid) {
        if (app.groups().stream().noneMatch(GroupSpec::reusePort)) {
            return;
        }
        String key = "net.ipv4.tcp_migrate_req";
        String cost = "a reload or restart resets the connections queued on a stopping reusePort worker's socket";
        Optional<String> value = os.sysctl(key);
        if (value.isEmpty()) {
            log.write(pid, tag() + " warning: this kernel has no " + key + " (Linux 5.14+): " + cost);
        } else if (!value.get().equals("1")) {
            try {
                os.setSysctl(key, "1");
                log.write(pid, tag() + " set " + key + "=1 (was " + value.get() + ") so that a stopping reusePort worker's queued"
                        + " connections move to the other workers");
            } catch (OsException e) {
                log.write(pid, tag() + " warning: " + key + " is " + value.get() + " and cannot be set (" + e.getMessage() + "): "
                        + cost + "; run as root: sysctl -w " + key + "=1");
            }
        }
    }

    private int arbiter(PidFile pidFile, LogFile log, Listeners listeners, int operatorFd, boolean successor) {
        int pid = os.getpid();
        ClassArchive archive = new ClassArchive(os, app.logFileOrDefault().getParent(), app.name(),
                message -> log.write(pid, tag() + " " + message));
        Spawner spawner = new Spawner(os, command, app.logFileOrDefault().getParent(), app.stopTimeout(), archive);
        os.setProcessTitle(PidFile.MASTER_TITLE + app.name());
        ClassPathWatch watcher = watch ? new ClassPathWatch(command.classPath()) : null;
        return new Arbiter(app, os, log, pidFile, listeners, spawner, operatorFd, report, watcher, successor).run();
    }

    /**
     * {@code restart}: this JVM is the successor the running master started. It takes the lock and
     * the listeners over fd 3, starts its workers while the old ones still serve, and takes the
     * pid file and operator socket once they are ready (see {@link Arbiter}).
     */
    int runSuccessor() {
        PidFile pidFile = new PidFile(app.pidFileOrDefault(), os);
        Handover handover;
        try {
            handover = Handover.receive(os, Environment.CHANNEL_FD);
        } catch (RuntimeException e) {
            return fail(tag() + " restart failed: " + e.getMessage());
        }
        pidFile.adoptLock(handover.lockFd());
        LogFile log;
        try {
            log = new LogFile(app.logFileOrDefault(), false, app.logFileMaxSize());
        } catch (UncheckedIOException e) {
            return fail(tag() + " restart failed: " + logFileAdvice(e));
        }
        int pid = os.getpid();
        log.write(pid, tag() + " new master pid " + pid + " (drover " + Cli.VERSION + ", Java " + Runtime.version()
                + ") takes over the sockets of the running master");
        Listeners listeners = new Listeners(os);
        listeners.adoptLent(handover.lent());
        int operatorFd = -1;
        try {
            for (GroupSpec group : app.groups()) {
                Integer passed = handover.listeners().get(group.index());
                if (passed != null && group.masterBinds()) {
                    listeners.adopt(group, passed);
                } else if (group.masterBinds()) {
                    bind(listeners, group);
                }
            }
            Files.deleteIfExists(pidFile.successorSocketPath());
            operatorFd = os.listenUnix(pidFile.successorSocketPath(), 16);
            Files.setPosixFilePermissions(pidFile.successorSocketPath(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (OsException | IllegalArgumentException | UncheckedIOException | IOException e) {
            listeners.closeHandedOver();
            if (operatorFd >= 0) {
                os.close(operatorFd);
            }
            pidFile.releaseLockOnly();
            String message = tag() + " restart failed: " + e.getMessage();
            log.write(pid, message);
            log.close();
            return fail(message);
        }
        return arbiter(pidFile, log, listeners, operatorFd, true);
    }

    private void bind(Listeners listeners, GroupSpec group) {
        try {
            listeners.bind(group);
        } catch (OsException e) {
            throw new IllegalArgumentException("worker " + group.name() + " (" + group.listenText() + "): " + e.getMessage()
                    + (e.addressInUse() ? inUseBy(group) : ""), e);
        }
        if (group.listen().isUnix() && (group.user() != null || group.group() != null) && os.geteuid() == 0) {
            giveSocketFile(group);
        }
    }

    /**
     * A unix:// socket file the master bound belongs to its workers' user and group (setUser,
     * setGroup), as Workerman chowns it, and both may connect to it (mode 0660: nginx as that user,
     * or in that group), where root's file let only root write to it.
     */
    private void giveSocketFile(GroupSpec group) {
        Path path = Path.of(group.listen().host());
        Optional<UserIds> user = group.user() == null ? Optional.empty() : os.user(group.user());
        int uid = user.map(UserIds::uid).orElse(-1);
        int gid = group.group() != null ? os.group(group.group()).orElse(-1) : user.map(UserIds::gid).orElse(-1);
        try {
            if (uid >= 0) {
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            }
            if (gid >= 0) {
                Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException e) {
            throw new IllegalArgumentException("worker " + group.name() + ": cannot give the socket file " + path + " to its user and group ("
                    + FileErrors.why(e) + "); check the directory it is in", e);
        }
    }

    /** Who holds the address {@code group} could not bind: a group of this application before it, else another process. */
    private String inUseBy(GroupSpec group) {
        String key = group.listen().socketKey();
        return app.groups().stream().filter(other -> other.index() < group.index() && other.masterBinds() && other.listen().socketKey().equals(key))
                .findFirst().map(other -> "; worker " + other.name() + " of this application listens there already: give each group an address of its own")
                .orElseGet(() -> key.startsWith("tcp ") && !os.tcpListening(group.listen().port())
                        ? "; no socket listens on port " + group.listen().port() + ", but one is bound to it, most likely a connection's own"
                        + " end (find it with: ss -tan 'sport = :" + group.listen().port() + "'): the kernel gives connections the ports of"
                        + " ip_local_port_range (" + os.localPortRange().orElse("see sysctl net.ipv4.ip_local_port_range")
                        + "), so listen on a port outside it"
                        : key.startsWith("unix") ? "; drover replaces only a socket file nobody accepts on: another process listens there"
                        + " (find it with: ss -lxp), or the path is another program's file: listen at another path"
                        : "; another process listens there (find it with: ss -ltnp)");
    }

    /** An unknown user or group fails the start here, before any process runs. */
    private void checkUser(GroupSpec group, LogFile log, int pid) {
        if (group.user() != null && os.user(group.user()).isEmpty()) {
            throw new IllegalArgumentException("worker " + group.name() + ": unknown user '" + group.user()
                    + "' (setUser); create it or correct the name");
        }
        if (group.group() != null && os.group(group.group()).isEmpty()) {
            throw new IllegalArgumentException("worker " + group.name() + ": unknown group '" + group.group()
                    + "' (setGroup); create it or correct the name");
        }
        if (group.user() != null && os.geteuid() != 0) {
            // Workerman's rule: a non-root master keeps its own user, and says so.
            String warning = tag() + " warning: worker " + group.name() + " asks for user " + group.user()
                    + " but the master does not run as root; the workers keep uid " + os.geteuid();
            log.write(pid, warning);
            say(warning.substring(tag().length() + 1));
        }
    }

    /** Tells the CLI waiting for a daemon; in the foreground the log's echo already shows it. */
    private void say(String message) {
        if (report != null) {
            report.out(tag() + " " + message);
        }
    }

    /** Why the log file could not be opened, and what the operator can do about it. */
    private String logFileAdvice(UncheckedIOException e) {
        return e.getMessage() + "; the master writes it as uid " + os.geteuid()
                + ": choose another with Worker.setLogFile, or let that user create and write it";
    }

    private int fail(String message) {
        if (report != null) {
            report.err(message);
            report.exit(ExitCodes.FAILED);
        } else {
            System.err.println(message);
        }
        return ExitCodes.FAILED;
    }
}
