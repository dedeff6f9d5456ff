package dev.drover.master;

import dev.drover.master.os.Os;
import dev.drover.master.os.OsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
    /** How long {@code start -d} waits for every worker's READY (JVMs on a loaded machine start slowly). */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    /** How long a command waits for the master's answer. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private final AppSpec spec;
    private final String[] args;
    private final Os os = Os.linux();

    @Option(names = "--pid-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "the pid file (default: <working dir>/<MainClass>.pid)")
    private Path pidFileOption;

    private Cli(AppSpec spec, String[] args) {
        this.spec = spec;
        this.args = args.clone();
    }

    /** Runs the command in {@code args}; returns the process's exit code. */
    public static int run(AppSpec spec, String[] args) {
        Cli cli = new Cli(spec, args);
        if (Environment.ROLE_DAEMON.equals(Environment.role())) {
            return cli.daemonMaster();
        }
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setCommandName(spec.name());
        commandLine.setExecutionExceptionHandler((e, line, result) -> {
            System.err.println("drover[" + spec.name() + "]: " + e.getMessage());
            return ExitCodes.FAILED;
        });
        return commandLine.execute(args);
    }

    private AppSpec app() {
        return pidFileOption == null ? spec : spec.withPidFile(pidFileOption);
    }

    private String tag() {
        return "drover[" + spec.name() + "]";
    }

    private PidFile pidFile() {
        return new PidFile(app().pidFileOrDefault(), os);
    }

    // ---- start ----

    @Command(name = "start", description = "Start the master and its workers (in the foreground unless -d).")
    int start(@Option(names = {"-d", "--daemon"}, description = "run in the background; return once every worker is ready")
              boolean daemon) {
        PidFile pidFile = pidFile();
        if (pidFile.isLocked()) {
            System.err.println(tag() + " already running (pid " + pidFile.readPid().map(String::valueOf).orElse("?")
                    + ", pid file " + pidFile.path() + "); stop it first, or use restart");
            return ExitCodes.FAILED;
        }
        return daemon ? startDaemon() : new MasterMain(app(), os, args, null).run();
    }

    /** The CLI side of {@code start -d}: spawn the daemon master, relay its report until it is ready. */
    private int startDaemon() {
        int[] pair = os.socketPair();
        int daemonPid;
        try {
            Spawner spawner = new Spawner(os, JvmCommand.current(Arrays.asList(args)), app().logFileOrDefault().getParent());
            Path stdout = app().stdoutFile() != null ? app().stdoutFile().toAbsolutePath() : Path.of("/dev/null");
            daemonPid = spawner.spawnDaemon(pair[1], stdout);
        } finally {
            os.close(pair[1]);
        }
        int code = Reply.relay(os, pair[0], System.out, System.err, STARTUP_TIMEOUT);
        os.close(pair[0]);
        if (code == Reply.TIMED_OUT) {
            System.err.println(tag() + " start failed: the master (pid " + daemonPid + ") did not report its workers ready within "
                    + STARTUP_TIMEOUT.toSeconds() + " s; it keeps trying: see " + app().logFileOrDefault() + ", or stop it");
            return ExitCodes.FAILED;
        }
        if (code < 0) {
            String how = os.reap(daemonPid).map(s -> "exited with status " + s).orElse("closed its report");
            System.err.println(tag() + " start failed: the master (pid " + daemonPid + ") " + how
                    + " before its workers were ready; see " + app().logFileOrDefault());
            return ExitCodes.FAILED;
        }
        return code;
    }

    /** In the re-executed daemon JVM: run the master, reporting to the waiting CLI on fd 3. */
    private int daemonMaster() {
        new CommandLine(this).parseArgs(args); // for --pid-file
        return new MasterMain(app(), os, args, new Reply(os, Environment.CHANNEL_FD)).run();
    }

    // ---- stop, restart ----

    @Command(name = "stop", description = "Stop the master and its workers.")
    int stop(@Option(names = {"-g", "--graceful"}, description = "let connections finish (not yet supported)") boolean graceful) {
        PidFile pidFile = pidFile();
        if (!pidFile.isLocked()) {
            return notRunning(pidFile);
        }
        int pid = pidFile.readPid().orElse(-1);
        Duration patience = app().stopTimeout().plusSeconds(13);
        int code = ask(pidFile, "stop", patience).orElseGet(() -> {
            if (pid > 0) {
                os.kill(pid, dev.drover.master.os.Signals.number("TERM"));
            }
            return ExitCodes.OK;
        });
        long deadline = System.nanoTime() + app().stopTimeout().plusSeconds(10).toNanos();
        while (pidFile.isLocked() || pid > 0 && os.isAlive(pid)) {
            if (System.nanoTime() - deadline > 0) {
                System.err.println(tag() + " stop fail: master pid " + pid + " is still running; see " + app().logFileOrDefault());
                return ExitCodes.FAILED;
            }
            pause();
        }
        if (code != ExitCodes.OK) {
            return code;
        }
        System.out.println(tag() + " stop success");
        return ExitCodes.OK;
    }

    @Command(name = "restart", description = "Stop the running master (if any), then start again.")
    int restart(@Option(names = {"-d", "--daemon"}, description = "start in the background") boolean daemon,
                @Option(names = {"-g", "--graceful"}, description = "stop gracefully (not yet supported)") boolean graceful) {
        if (pidFile().isLocked()) {
            int stopped = stop(graceful);
            if (stopped != ExitCodes.OK) {
                return stopped;
            }
        }
        return start(daemon);
    }

    // ---- status and friends ----

    @Command(name = "status", description = "Show the master and its workers.")
    int status() {
        PidFile pidFile = pidFile();
        if (!pidFile.isLocked()) {
            return notRunning(pidFile);
        }
        return ask(pidFile, "status", ANSWER_TIMEOUT).orElse(ExitCodes.FAILED);
    }

    @Command(name = "reload", description = "Replace the workers one at a time (not yet supported).")
    int reload(@Option(names = {"-g", "--graceful"}) boolean graceful) {
        return unsupported("reload");
    }

    @Command(name = "connections", description = "List the open connections (not yet supported).")
    int connections() {
        return unsupported("connections");
    }

    private int unsupported(String command) {
        PidFile pidFile = pidFile();
        if (!pidFile.isLocked()) {
            return notRunning(pidFile);
        }
        System.err.println(tag() + " " + command + " is not supported by this version of drover");
        return ExitCodes.FAILED;
    }

    private int notRunning(PidFile pidFile) {
        pidFile.removeStale().ifPresent(message -> System.err.println(tag() + " " + message));
        System.err.println(tag() + " not run (no master holds " + pidFile.path() + ".lock)");
        return ExitCodes.NOT_RUNNING;
    }

    /** Sends a command over the operator socket and relays the answer; empty when the socket is unreachable. */
    private Optional<Integer> ask(PidFile pidFile, String command, Duration timeout) {
        int fd;
        try {
            fd = os.connectUnix(pidFile.socketPath());
        } catch (OsException e) {
            System.err.println(tag() + " cannot reach the master's operator socket: " + e.getMessage());
            return Optional.empty();
        }
        try {
            byte[] request = (command + "\n").getBytes(StandardCharsets.UTF_8);
            os.write(fd, request, 0, request.length);
            int code = Reply.relay(os, fd, System.out, System.err, timeout);
            if (code == Reply.TIMED_OUT) {
                System.err.println(tag() + " the master (pid " + pidFile.readPid().map(String::valueOf).orElse("?")
                        + ") did not answer '" + command + "' within " + timeout.toSeconds() + " s; see " + app().logFileOrDefault());
            }
            return Optional.of(code < 0 ? ExitCodes.FAILED : code);
        } finally {
            os.close(fd);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
