package dev.drover.master;

import dev.drover.master.os.ExitStatus;
import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import dev.drover.master.os.Signals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * The operator's commands, Workerman's {@code php start.php <command>}: parses the arguments and
 * either runs the master in this JVM, or talks to the running one.
 */
@Command(name = "drover", mixinStandardHelpOptions = true, version = "drover " + Cli.VERSION,
        description = "Runs and controls a drover application.",
        footer = {"", "Exit codes: 0 done (status: running), 1 failed, 2 usage error, 3 not running."})
public final class Cli {
    public static final String VERSION = "0.1.0";
    /** A command whose end the operator waits for, however long (Ctrl-C leaves the master at it). */
    private static final Duration FOREVER = Duration.ofDays(365);
    /** How long a command waits for the master's answer. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private final AppSpec spec;
    private final String[] args;
    /** The OS seam, loading (jffi and libc's functions, ~40 ms) on another core while picocli reads the command. */
    private final CompletableFuture<Os> nativeOs;

    @Option(names = "--pid-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "the pid file (default: <working dir>/<MainClass>.pid)")
    private Path pidFileOption;

    private Cli(AppSpec spec, String[] args, CompletableFuture<Os> nativeOs) {
        this.spec = spec;
        this.args = args.clone();
        this.nativeOs = nativeOs;
    }

    /** Runs the command in {@code args}; returns the process's exit code. */
    public static int run(AppSpec spec, String[] args) {
        if (Environment.role() == null) {
            Optional<DaemonStart> quick = DaemonStart.of(spec, args);
            if (quick.isPresent()) {
                return quick.get().run();
            }
        }
        Path cache = ClassArchive.directory(spec.logFileOrDefault().getParent());
        boolean daemonOrSuccessor = Environment.ROLE_DAEMON.equals(Environment.role()) || Environment.ROLE_SUCCESSOR.equals(Environment.role());
        boolean master = daemonOrSuccessor || args.length > 0 && (args[0].equals("start") || args[0].equals("restart"));
        CompletableFuture<Os> nativeOs = CompletableFuture.supplyAsync(() -> {
            NativeCopies.useJffiCopy(cache, master);
            return Os.linux();
        }, task -> {
            Thread thread = new Thread(task, "drover-native-init");
            thread.setDaemon(true);
            thread.start();
        });
        Cli cli = new Cli(spec, args, nativeOs);
        if (daemonOrSuccessor) {
            return cli.daemonMaster();
        }
        Optional<PlainCommand> plain = PlainCommand.of(args);
        if (plain.isPresent()) {
            OptionalInt code = cli.run(plain.get());
            if (code.isPresent()) {
                return code.getAsInt();
            }
        }
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setCommandName(spec.name());
        commandLine.setExecutionExceptionHandler((e, line, result) -> cli.failed(e));
        CommandLine.IParameterExceptionHandler parseFailed = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((e, arguments) -> e.getCommandLine() == commandLine
                && e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().get(0).startsWith("-")
                ? cli.unknownCommand(commandLine, unmatched.getUnmatched().get(0)) : parseFailed.handleParseException(e, arguments));
        return commandLine.execute(args);
    }

    /** A command in its plain form, as picocli would run it (see {@link PlainCommand}); empty when picocli must read it after all. */
    private OptionalInt run(PlainCommand command) {
        pidFileOption = command.pidFile().orElse(null);
        int count = 0;
        if (command.name().equals("scale")) {
            try {
                count = Integer.parseInt(command.words().get(1));
            } catch (NumberFormatException e) {
                return OptionalInt.empty(); // picocli says what COUNT must be
            }
        }
        try {
            return OptionalInt.of(switch (command.name()) {
                case "start" -> start(command.has("--daemon"), command.has("--watch"));
                case "stop" -> stop(command.has("--graceful"));
                case "restart" -> restart(command.has("--daemon"), command.has("--graceful"), command.has("--cold"));
                case "reload" -> reload(command.has("--graceful"));
                case "scale" -> scale(command.words().get(0), count);
                case "status" -> status(command.has("--live"), command.has("--json"));
                case "connections" -> connections(command.has("--json"));
                default -> throw new IllegalArgumentException("no plain form of " + command.name());
            });
        } catch (RuntimeException e) {
            return OptionalInt.of(failed(e));
        }
    }

    /** A first word that is no command: says so, and lists the commands (picocli guessed at one, "Did you mean: App status?"). */
    private int unknownCommand(CommandLine commandLine, String word) {
        System.err.println(tag() + ": unknown command '" + word + "'");
        commandLine.usage(System.err);
        return ExitCodes.USAGE;
    }

    /** A command that threw {@code e}: says why, and what to do when it lacked permission. */
    private int failed(Exception e) {
        System.err.println(tag() + ": " + e.getMessage() + permissionHint(e));
        return ExitCodes.FAILED;
    }

    private Os os() {
        try {
            return nativeOs.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    private AppSpec app() {
        return pidFileOption == null ? spec : spec.withPidFile(pidFileOption);
    }

    private String tag() {
        return "drover[" + spec.name() + "]";
    }

    private PidFile pidFile() {
        return new PidFile(app().pidFileOrDefault(), os());
    }

    // ---- start ----

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the master and its workers (in the foreground unless -d).")
    int start(@Option(names = {"-d", "--daemon"}, description = "run in the background; return once every worker is ready")
              boolean daemon,
              @Option(names = "--watch", description = "reload the workers when a class-path entry changes (development)")
              boolean watch) {
        PidFile pidFile = pidFile();
        if (pidFile.isLocked()) {
            System.err.println(tag() + " already running (pid " + pidFile.masterPid().map(String::valueOf).orElse("?")
                    + ", pid file " + pidFile.path() + "); stop it first, or use restart");
            return ExitCodes.FAILED;
        }
        return daemon ? startDaemon() : new MasterMain(app(), os(), JvmCommand.current(Arrays.asList(args)), null, watch).run();
    }

    /** The CLI side of {@code start -d}: spawn the daemon master, relay its report until it is ready. */
    private int startDaemon() {
        return startDaemon(false);
    }

    private int startDaemon(boolean again) {
        int[] pair = os().socketPair();
        long logBefore = DaemonStart.sizeOf(app().logFileOrDefault());
        int daemonPid;
        Spawner spawner;
        try {
            Path logDirectory = app().logFileOrDefault().getParent();
            spawner = new Spawner(os(), JvmCommand.current(Arrays.asList(args)), logDirectory, app().stopTimeout(),
                    new ClassArchive(os(), logDirectory, spec.name(), message -> { }));
            Path stdout = app().stdoutFileOrDevNull();
            daemonPid = spawner.spawnMaster(Environment.ROLE_DAEMON, spec.name(), pair[1], stdout);
        } finally {
            os().close(pair[1]);
        }
        int code = Reply.relay(os(), pair[0], System.out, System.err, DaemonStart.STARTUP_TIMEOUT);
        os().close(pair[0]);
        Optional<ExitStatus> status = code < 0 && code != Reply.TIMED_OUT ? Pause.reap(os(), daemonPid, Duration.ofSeconds(2)) : Optional.empty();
        if (!again && code < 0 && DaemonStart.archiveCrashed(app(), spawner.archive(), spawner.masterPlan(), daemonPid, status, logBefore)) {
            return startDaemon(true);
        }
        return DaemonStart.outcome(app(), code, daemonPid, () -> status.map(s -> "exited with status " + s).orElse("closed its report"),
                () -> !os().isAlive(daemonPid), logBefore); // a zombie is gone: its pid file and ports are released
    }

    /**
     * In the re-executed daemon JVM: run the master, reporting to the waiting CLI on fd 3, or on
     * stdout when {@link DaemonStart} started it (then it leaves the CLI's session itself). The
     * CLI has checked the arguments: only the pid file is read from them here, without picocli
     * (its model costs a starting master ~100 ms).
     */
    private int daemonMaster() {
        pidFileOption = DaemonStart.pidFileOption(args).orElse(null);
        boolean watch = Arrays.asList(args).contains("--watch");
        // While the native library loads on its own thread (~100 ms), this one does the master's
        // pure-Java start: its own command line (java.lang.management) and the log's clock (time zones).
        JvmCommand command = JvmCommand.current(Arrays.asList(args));
        LogFile.now();
        Reply report;
        if (Environment.REPORT_STDOUT.equals(System.getenv(Environment.REPORT))) {
            int reportFd = 1;
            try {
                // The report keeps the CLI's pipe on a close-on-exec descriptor; stdout becomes the
                // stdout file (stderr), so the workers, which inherit stdout, never write into the pipe.
                reportFd = os().duplicate(1);
                os().dup2(2, 1);
                os().setsid();
            } catch (OsException e) {
                Reply failed = new Reply(os(), reportFd);
                failed.err(tag() + " start failed: " + e.getMessage());
                failed.exit(ExitCodes.FAILED);
                return ExitCodes.FAILED;
            }
            report = new Reply(os(), reportFd);
        } else {
            report = new Reply(os(), Environment.CHANNEL_FD);
        }
        MasterMain master = new MasterMain(app(), os(), command, report, watch);
        return Environment.ROLE_SUCCESSOR.equals(Environment.role()) ? master.runSuccessor() : master.run();
    }

    // ---- stop, restart, reload ----

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the master and its workers.")
    int stop(@Option(names = {"-g", "--graceful"}, description = "stop accepting at once, let open connections finish") boolean graceful) {
        PidFile pidFile = pidFile();
        if (!pidFile.isLocked()) {
            return notRunning(pidFile);
        }
        int pid = pidFile.signallableMaster(app().name()).orElse(-1);
        // A group of shared state (the ChannelServer) is asked once the others are gone, never gracefully: its stopTimeout comes after theirs.
        Duration sharedStateLast = app().groups().stream().anyMatch(GroupSpec::sharedState) ? app().stopTimeout() : Duration.ZERO;
        Duration patience = graceful && app().gracefulTimeout() == null ? FOREVER
                : app().stopTimeout().plus(graceful ? app().gracefulTimeout() : Duration.ZERO).plus(sharedStateLast).plusSeconds(13);
        int code = ask(pidFile, graceful ? "stop -g" : "stop", patience).orElseGet(() -> {
            if (pid > 0) {
                os().kill(pid, Signals.number(graceful ? "WINCH" : "TERM"));
                return ExitCodes.OK;
            }
            System.err.println(tag() + " stop fail: no drover master answers on " + pidFile.socketPath() + ", and " + pidFile.lockHolderText()
                    + " holds its lock file " + pidFile.path() + ".lock; drover signals no process that is not this application's master: "
                    + "stop it yourself");
            return ExitCodes.FAILED;
        });
        if (code == ExitCodes.FAILED && pid < 0) {
            return code;
        }
        if (!Pause.until(() -> !pidFile.isLocked() && !(pid > 0 && os().isAlive(pid)), patience, 20)) {
            System.err.println(tag() + " stop fail: master pid " + pid + " is still running; see " + app().logFileOrDefault());
            return ExitCodes.FAILED;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted");
        }
        if (code > ExitCodes.OK) {
            return code; // the master said why (stop fail)
        }
        // OK, or no answer in time but the master is gone now: either way the stop happened
        System.out.println(tag() + " stop success");
        return ExitCodes.OK;
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Replace the running master with the program now on disk without closing its "
            + "sockets (or --cold: stop, then start).")
    int restart(@Option(names = {"-d", "--daemon"}, description = "start in the background when nothing runs") boolean daemon,
                @Option(names = {"-g", "--graceful"}, description = "old workers finish their connections") boolean graceful,
                @Option(names = "--cold", description = "stop, then start (Workerman's restart)") boolean cold) {
        PidFile pidFile = pidFile();
        if (!pidFile.isLocked()) {
            return start(daemon, false);
        }
        if (!cold) {
            int code = ask(pidFile, graceful ? "upgrade -g" : "upgrade", FOREVER).orElse(ExitCodes.FAILED);
            return code < 0 ? ExitCodes.FAILED : code;
        }
        int stopped = stop(graceful);
        if (stopped != ExitCodes.OK) {
            return stopped;
        }
        return start(daemon, false);
    }

    @Command(name = "reload", mixinStandardHelpOptions = true, description = "Replace the reloadable workers one at a time; every worker runs onWorkerReload first.")
    int reload(@Option(names = {"-g", "--graceful"}, description = "old workers stop accepting and finish their connections")
               boolean graceful) {
        PidFile pidFile = pidFile();
        if (!pidFile.isLocked()) {
            return notRunning(pidFile);
        }
        Optional<Integer> answer = ask(pidFile, graceful ? "reload -g" : "reload", FOREVER);
        if (answer.isPresent()) {
            return answer.get() < 0 ? ExitCodes.FAILED : answer.get();
        }
        if (Files.exists(pidFile.socketPath(), LinkOption.NOFOLLOW_LINKS)) {
            return ExitCodes.FAILED; // there, and refused (said above): no signal either
        }
        // The socket is gone (deleted by hand): the signal still reloads, without a word of how it went.
        int pid = pidFile.signallableMaster(app().name()).orElse(-1);
        String signal = graceful ? "USR2" : "USR1";
        if (pid < 0 || !os().kill(pid, Signals.number(signal))) {
            System.err.println(tag() + " reload fail: no master of this application to send SIG" + signal + " to: "
                    + pidFile.lockHolderText() + " holds its lock file " + pidFile.path() + ".lock");
            return ExitCodes.FAILED;
        }
        System.out.println(tag() + " sent SIG" + signal + " to the master (pid " + pid + "), which reloads; without its "
                + "socket no progress comes back: see " + app().logFileOrDefault() + ", and restart to recreate the socket");
        return ExitCodes.OK;
    }

    @Command(name = "scale", mixinStandardHelpOptions = true, description = "Set how many processes a worker group runs (ids stay 0..count-1); TTIN/TTOU add or remove one in every group.")
    int scale(@Parameters(index = "0", paramLabel = "NAME", description = "the worker group's name (Worker.setName)") String name,
              @Parameters(index = "1", paramLabel = "COUNT", description = "the new process count, at least 1") int count) {
        if (count < 1) {
            System.err.println(tag() + " scale: COUNT must be at least 1, was " + count);
            return ExitCodes.USAGE;
        }
        return askRunning("scale " + name + " " + count, ANSWER_TIMEOUT);
    }

    // ---- status and connections ----

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the master and every worker process.")
    int status(@Option(names = {"-d", "--live"}, description = "refresh every second until Ctrl-C") boolean live,
               @Option(names = "--json", description = "one JSON document (docs/status.md)") boolean json) {
        String command = json ? "status --json" : "status";
        if (!live) {
            return askRunning(command, ANSWER_TIMEOUT);
        }
        boolean terminal = os().isTerminal(1);
        while (true) {
            if (terminal) {
                System.out.print("\033[H\033[2J");
            }
            int code = askRunning(command, ANSWER_TIMEOUT);
            if (code != ExitCodes.OK) {
                return code;
            }
            System.out.flush();
            pause(1000);
        }
    }

    @Command(name = "connections", mixinStandardHelpOptions = true, description = "List every open connection of every worker.")
    int connections(@Option(names = "--json", description = "one JSON document") boolean json) {
        return askRunning(json ? "connections --json" : "connections", ANSWER_TIMEOUT);
    }

    private int askRunning(String command, Duration timeout) {
        PidFile pidFile = pidFile();
        if (!pidFile.isLocked()) {
            return notRunning(pidFile);
        }
        int code = ask(pidFile, command, timeout).orElse(ExitCodes.FAILED);
        return code < 0 ? ExitCodes.FAILED : code;
    }

    private int notRunning(PidFile pidFile) {
        pidFile.foreign().ifPresent(found -> System.err.println(tag() + " warning: " + found));
        pidFile.removeStale().ifPresent(found -> System.err.println(tag() + " removed " + found));
        System.err.println(tag() + " not run (no master holds " + pidFile.path() + ".lock)");
        return ExitCodes.NOT_RUNNING;
    }

    /**
     * Sends a command over the operator socket and relays the answer: the master's exit code, a
     * negative number when none came (see {@link Reply#relay}), empty when the socket is unreachable.
     */
    private Optional<Integer> ask(PidFile pidFile, String command, Duration timeout) {
        int fd;
        try {
            fd = os().connectUnix(pidFile.socketPath());
        } catch (OsException e) {
            System.err.println(tag() + " cannot reach the master's operator socket: " + e.getMessage() + permissionHint(e));
            return Optional.empty();
        }
        try {
            byte[] request = (command + "\n").getBytes(StandardCharsets.UTF_8);
            OsException unsent = null;
            try {
                os().write(fd, request, 0, request.length);
            } catch (OsException e) {
                unsent = e; // the master may have answered and closed before reading (a refused uid): relay its answer
            }
            int code = Reply.relay(os(), fd, System.out, System.err, timeout);
            if (unsent != null && code < 0) {
                throw unsent;
            }
            if (code == Reply.TIMED_OUT) {
                System.err.println(tag() + " the master (pid " + pidFile.masterPid().map(String::valueOf).orElse("?")
                        + ") did not answer '" + command + "' within " + timeout.toSeconds() + " s; see " + app().logFileOrDefault());
            } else if (code < 0) {
                System.err.println(tag() + " the master closed the connection without an answer to '" + command + "'; see "
                        + app().logFileOrDefault());
            }
            return Optional.of(code);
        } finally {
            os().close(fd);
        }
    }

    /**
     * For a call refused for want of permission: who owns the master's files, and what to do; empty
     * otherwise. Read from the pid file's directory (or the nearest one this user can see).
     */
    String permissionHint(Exception e) {
        if (!(e instanceof OsException failure) || !failure.permissionDenied()) {
            return "";
        }
        Path path = app().pidFileOrDefault().toAbsolutePath();
        for (Path p = path; p != null; p = p.getParent()) {
            try {
                int owner = (Integer) Files.getAttribute(p, "unix:uid");
                return "; " + p + " belongs to uid " + owner + ": run this command as root or as uid " + owner
                        + " (the user the master runs as)";
            } catch (IOException | RuntimeException unreadable) {
                // try the parent
            }
        }
        return "; run this command as root or as the user the master runs as";
    }

    private static void pause(long millis) {
        if (!Pause.millis(millis)) {
            throw new IllegalStateException("interrupted");
        }
    }
}
