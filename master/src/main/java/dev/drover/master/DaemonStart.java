package dev.drover.master;

import dev.drover.master.os.ExitStatus;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code start -d} in its plain forms, without picocli or the native library: the operator waits
 * for this JVM to start the daemon master, and in a JVM without a class archive picocli's model
 * and jnr-ffi's start (before the OS seam called libc through jffi alone) took some 500 ms of it.
 * The daemon is started with {@link ProcessBuilder}, reports on its stdout (a pipe to here) and
 * calls {@code setsid} itself. The price: the JDK's process reaper waits for the daemon in a native
 * {@code waitpid}, and a JVM's exit waits up to 300 ms for threads in native calls, so this JVM
 * returns ~300 ms after the report's end. Through the OS seam it returned that much sooner but the
 * first request was answered 34-63 ms later (jffi's load comes before the spawn; PERFORMANCE.md).
 *
 * <p>{@code posix_spawn} also resets the daemon's signals; a process started from Java inherits
 * this thread's mask and the ignored signals. So this path is taken only when nothing but SIGQUIT
 * (which HotSpot blocks in Java threads and unblocks again in every JVM) is blocked and nothing but
 * SIGPIPE is ignored: a shell's background job (SIGINT ignored), {@code nohup} (SIGHUP) and the
 * other forms take {@link Cli}'s path.
 */
final class DaemonStart {
    /** How long {@code start -d} waits for every worker's READY (JVMs on a loaded machine start slowly). */
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    /** How long a failed {@code start -d} waits for its master to exit: it has stopped its workers before it said so. */
    private static final Duration FAILED_MASTER_EXIT = Duration.ofSeconds(10);
    private static final long SIGQUIT = 1L << (3 - 1);
    private static final long SIGPIPE = 1L << (13 - 1);
    /** Signals 1 to 31; the real-time ones above are glibc's own business. */
    private static final long STANDARD_SIGNALS = (1L << 31) - 1;

    private final AppSpec app;
    private final String[] args;

    private DaemonStart(AppSpec app, String[] args) {
        this.app = app;
        this.args = args.clone();
    }

    /** This path for {@code args} when it {@link #accepts} them and the signals allow it. */
    static Optional<DaemonStart> of(AppSpec spec, String[] args) {
        if (!accepts(args) || !signalsAtDefaults()) {
            return Optional.empty();
        }
        return Optional.of(new DaemonStart(pidFileOption(args).map(spec::withPidFile).orElse(spec), args));
    }

    /**
     * Whether {@code args} are {@code start} with {@code -d} (or {@code --daemon}), and only
     * {@code --pid-file FILE} and {@code --watch} besides; anything else is picocli's to read.
     */
    static boolean accepts(String[] args) {
        if (args.length < 2 || !args[0].equals("start")) {
            return false;
        }
        boolean daemon = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "-d", "--daemon" -> daemon = true;
                case "--watch" -> { }
                case "--pid-file" -> i++;
                default -> {
                    if (!args[i].startsWith("--pid-file=")) {
                        return false;
                    }
                }
            }
        }
        return daemon && pidFileOption(args).map(file -> !file.toString().isEmpty()).orElse(true);
    }

    /** The value of {@code --pid-file FILE} or {@code --pid-file=FILE} in {@code args}, for a JVM that does not parse them with picocli. */
    static Optional<Path> pidFileOption(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--pid-file")) {
                return i + 1 < args.length ? Optional.of(Path.of(args[i + 1])) : Optional.of(Path.of(""));
            }
            if (args[i].startsWith("--pid-file=")) {
                return Optional.of(Path.of(args[i].substring("--pid-file=".length())));
            }
        }
        return Optional.empty();
    }

    /** Whether a process this thread starts gets its signals as posix_spawn would set them (see the class comment). */
    static boolean signalsAtDefaults() {
        try {
            long blocked = statusMask("SigBlk");
            long ignored = statusMask("SigIgn");
            return (blocked & STANDARD_SIGNALS & ~SIGQUIT) == 0 && (ignored & STANDARD_SIGNALS & ~SIGPIPE) == 0;
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    private static long statusMask(String field) throws IOException {
        // java.io, not Files: its channels load libnio (~6 ms of this JVM's path to the daemon's start)
        String status;
        try (FileInputStream in = new FileInputStream("/proc/thread-self/status")) {
            status = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseUnsignedLong(line.substring(field.length() + 1).trim(), 16);
            }
        }
        throw new IOException("no " + field + " in /proc/thread-self/status");
    }

    int run() {
        return run(false);
    }

    private int run(boolean again) {
        JvmCommand command = JvmCommand.current(Arrays.asList(args));
        Path logDirectory = app.logFileOrDefault().getParent();
        // Both only plan here (which archive the master maps or records); this JVM spawns and dumps nothing through them.
        Spawner planner = new Spawner(null, command, logDirectory, app.stopTimeout(), new ClassArchive(null, logDirectory, app.name(), m -> { }));
        Spawner.MasterCommand master = planner.masterCommand(Environment.ROLE_DAEMON, app.name());
        List<String> argv = new ArrayList<>(master.argv());
        argv.set(0, command.java()); // the master sets its title itself
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().putAll(master.env());
        builder.environment().put(Environment.REPORT, Environment.REPORT_STDOUT);
        builder.redirectInput(Redirect.from(new File("/dev/null")));
        builder.redirectOutput(Redirect.PIPE);
        Spawner.makeParentDirectory(app.stdoutFileOrDevNull());
        builder.redirectError(Redirect.appendTo(app.stdoutFileOrDevNull().toFile()));
        long logBefore = sizeOf(app.logFileOrDefault());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            System.err.println(tag(app) + " start failed: cannot start " + command.java() + " (stdout file "
                    + app.stdoutFileOrDevNull() + "): " + e.getMessage());
            return ExitCodes.FAILED;
        }
        int code = relay(process.getInputStream(), STARTUP_TIMEOUT);
        Optional<ExitStatus> status = code < 0 && code != Reply.TIMED_OUT ? statusOf(process) : Optional.empty();
        if (!again && code < 0 && archiveCrashed(app, planner.archive(), master.plan(), (int) process.pid(), status, logBefore)) {
            return run(true);
        }
        return outcome(app, code, (int) process.pid(), () -> status.map(s -> "exited with status " + s).orElse("closed its report"),
                () -> !process.isAlive(), logBefore);
    }

    /** The size of the file at {@code path}; 0 when there is none (yet). */
    static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Where the reason a master failed is: its log when it wrote to it since it held {@code sizeBefore}
     * bytes; otherwise its JVM failed before drover ran (a bad option, no memory), and the JVM's own
     * output, in the stdout file, says why.
     */
    static String whereToLook(Path log, long sizeBefore, Path stdoutFile) {
        if (sizeOf(log) > sizeBefore) {
            return "see " + log;
        }
        if (stdoutFile.equals(Path.of("/dev/null"))) {
            return "it wrote nothing to " + log + ", and its JVM's own output went to /dev/null (no stdoutFile): "
                    + "set one, or start in the foreground, to see why";
        }
        return "it wrote nothing to " + log + ": its JVM's own output is in " + stdoutFile;
    }

    /**
     * The exit code of {@code start -d} once the daemon's report ended with {@code code} (see
     * {@link Reply#relay}), saying why when it did not say it itself ({@code logSizeBefore}: the
     * log's size before the daemon started, see {@link #whereToLook}). When the master said it
     * failed, this returns once it is gone ({@code gone}): it has stopped its workers and is ending
     * its JVM, and a script that starts again at once must not find it still holding its pid file
     * and ports. A master that only closed its report has either died or, alive, keeps running.
     */
    static int outcome(AppSpec app, int code, int daemonPid, Supplier<String> how, BooleanSupplier gone, long logSizeBefore) {
        if (code == Reply.TIMED_OUT) {
            System.err.println(tag(app) + " start failed: the master (pid " + daemonPid + ") did not report its workers ready within "
                    + STARTUP_TIMEOUT.toSeconds() + " s; it keeps trying: see " + app.logFileOrDefault() + ", or stop it");
            return ExitCodes.FAILED;
        }
        if (code < 0) {
            System.err.println(tag(app) + " start failed: the master (pid " + daemonPid + ") " + how.get()
                    + " before its workers were ready; " + whereToLook(app.logFileOrDefault(), logSizeBefore, app.stdoutFileOrDevNull()));
        }
        if (code > ExitCodes.OK && !Pause.until(gone, FAILED_MASTER_EXIT, 10)) {
            System.err.println(tag(app) + " warning: the master (pid " + daemonPid + ") that failed to start is still running "
                    + FAILED_MASTER_EXIT.toSeconds() + " s later; see " + app.logFileOrDefault() + ", or kill it");
        }
        return code < 0 ? ExitCodes.FAILED : code;
    }

    /**
     * Whether a daemon master whose report ended early is to be started again: it crashed
     * ({@code status}) as its JVM started, before it wrote to its log, mapping the class archive of
     * {@code plan}, which is now removed (a damaged archive crashes every JVM that maps it). Says so.
     */
    static boolean archiveCrashed(AppSpec app, ClassArchive archive, ClassArchive.Plan plan, int pid, Optional<ExitStatus> status,
                                  long logSizeBefore) {
        if (status.isEmpty() || sizeOf(app.logFileOrDefault()) > logSizeBefore) {
            return false;
        }
        Optional<Path> removed = archive.crashedAtStart(plan, status.get());
        removed.ifPresent(file -> System.err.println(tag(app) + " warning: the master (pid " + pid + ") crashed as its JVM started (exit status "
                + status.get() + "), mapping the class archive " + file + "; removed it, starting the master again without it"));
        return removed.isPresent();
    }

    /** How the daemon ended (the JDK reports a signal's death as 128 + its number), waiting 2 s for it; empty while it runs. */
    private static Optional<ExitStatus> statusOf(Process process) {
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        int value = process.exitValue();
        return Optional.of(value > 128 && value < 128 + 32 ? new ExitStatus(-1, value - 128) : new ExitStatus(value, 0));
    }

    /** {@link Reply#relay} over the daemon's stdout pipe: read on a thread of its own, as a pipe's read has no timeout. */
    private static int relay(InputStream report, Duration timeout) {
        BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            LineBuffer buffer = new LineBuffer(WorkerProcess.MAX_LINE);
            byte[] bytes = new byte[8192];
            try (report) {
                for (int count; (count = report.read(bytes)) > 0; ) {
                    buffer.add(bytes, count).forEach(line -> lines.add(Optional.of(line)));
                }
            } catch (IOException | IllegalStateException ended) {
                // the report ends here either way
            }
            lines.add(Optional.empty());
        }, "drover-report");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Optional<String> line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    return Reply.TIMED_OUT;
                }
                if (line.isEmpty()) {
                    return -1;
                }
                if (!isReportLine(line.get())) {
                    System.out.println(line.get()); // the daemon JVM's own output before it moved stdout (-Xlog, JFR, ...)
                    continue;
                }
                Integer code = Reply.print(line.get(), System.out, System.err);
                if (code != null) {
                    return code;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A line of the {@link Reply} format; the daemon's stdout may carry the JVM's own lines before the report. */
    static boolean isReportLine(String line) {
        return line.equals("exit") || line.startsWith("out ") || line.startsWith("err ") || line.startsWith("exit ") || line.equals("out")
                || line.equals("err");
    }

    private static String tag(AppSpec app) {
        return "drover[" + app.name() + "]";
    }
}
